// Decodes Python string literals (prefixes, quotes, escapes) to the text Python would see,
// so the folder can read '\x6f\x73' as "os". Returns null where the value cannot be known here.

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

/** The few `\N{...}` names an evasion needs (letters, digits, punctuation of identifiers). */
function unicodeByName(name: string): string | null {
  const n = name.toUpperCase().trim();
  let m = /^LATIN (SMALL|CAPITAL) LETTER ([A-Z])$/.exec(n);
  if (m) return m[1] === 'SMALL' ? m[2]!.toLowerCase() : m[2]!;
  m = /^DIGIT (ZERO|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE)$/.exec(n);
  if (m) return String(['ZERO', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN', 'EIGHT', 'NINE'].indexOf(m[1]!));
  const named: Record<string, string> = {
    'LOW LINE': '_',
    'FULL STOP': '.',
    SPACE: ' ',
    'LEFT PARENTHESIS': '(',
    'RIGHT PARENTHESIS': ')',
    APOSTROPHE: "'",
    'QUOTATION MARK': '"',
    SOLIDUS: '/',
    SEMICOLON: ';',
    'EQUALS SIGN': '=',
  };
  return named[n] ?? null;
}

export interface LiteralParts {
  prefix: string;
  body: string;
}

/** Splits `rb'''...'''` into its lower-cased prefix and the text between the quotes. */
export function splitLiteral(text: string): LiteralParts | null {
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(text);
  if (!m) return null;
  const quote = m[2]!;
  const start = m[0].length;
  const end = text.endsWith(quote) && text.length >= start + quote.length ? text.length - quote.length : text.length;
  return { prefix: m[1]!.toLowerCase(), body: text.slice(start, end) };
}

/** Applies Python escape rules to a literal body; `bytes` turns off \u, \U and \N as Python does. */
export function decodeEscapes(body: string, raw: boolean, bytes: boolean): string | null {
  if (raw) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1]!;
    if (next === '\r' && body[i + 2] === '\n') {
      i += 2;
      continue;
    }
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i += 1;
      continue;
    }
    if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(oct, 8));
      i += oct.length;
      continue;
    }
    const width = next === 'x' ? 2 : !bytes && next === 'u' ? 4 : !bytes && next === 'U' ? 8 : 0;
    if (width > 0) {
      const hex = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) return null;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) return null;
      out += String.fromCodePoint(cp);
      i += 1 + width;
      continue;
    }
    if (!bytes && next === 'N') {
      const close = body.indexOf('}', i);
      if (body[i + 2] !== '{' || close < 0) return null;
      const decoded = unicodeByName(body.slice(i + 3, close));
      if (decoded === null) return null;
      out += decoded;
      i = close;
      continue;
    }
    out += ch; // unknown escapes stay as written, as in Python
  }
  return out;
}

/** The value of one plain (non-f) string literal token, or null if it cannot be known. */
export function literalValue(text: string): string | null {
  const parts = splitLiteral(text);
  if (!parts || parts.prefix.includes('f')) return null;
  return decodeEscapes(parts.body, parts.prefix.includes('r'), parts.prefix.includes('b'));
}
