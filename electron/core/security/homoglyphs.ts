// Look-alike letters (Cyrillic, Greek, Latin extensions) that NFKC leaves alone: `еval` with a Cyrillic е
// is a different name to Python, but a reviewer reads "eval". The skeleton maps them to the Latin letter.
const CONFUSABLES: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w',
  ӏ: 'l', ɡ: 'g', ν: 'v', ο: 'o', α: 'a', ε: 'e', ι: 'i', κ: 'k', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ϲ: 'c',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', Ѕ: 'S', І: 'I',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  ı: 'i', ŀ: 'l', ʟ: 'L', ɑ: 'a', ɩ: 'i', ʋ: 'u',
};

/** `name` with every known look-alike replaced by the ASCII letter it imitates. */
export function skeleton(name: string): string {
  let out = '';
  for (const ch of name) out += CONFUSABLES[ch] ?? ch;
  return out;
}
