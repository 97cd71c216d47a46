// A small GDScript scanner, enough for the 4.x generator and its checks: it tells code from strings
// and comments (Godot 3 and 4 agree on both), so rules and checks look only where they mean to.

export interface Views {
  /** The text with comments blanked (strings kept): where 3.x names inside strings still show. */
  noComments: string;
  /** The text with comments and string contents blanked (quotes kept): code only. */
  code: string;
  /** Why the text cannot be scanned (an unterminated string), or null. */
  error: string | null;
}

/** Scans `text`; both views keep every newline and column, so line numbers carry over. */
export function scan(text: string): Views {
  let noComments = '';
  let code = '';
  let error: string | null = null;
  let i = 0;
  let line = 1;
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  while (i < text.length) {
    const c = text[i]!;
    if (c === '#') {
      const end = text.indexOf('\n', i);
      const comment = text.slice(i, end < 0 ? text.length : end);
      noComments += blank(comment);
      code += blank(comment);
      i += comment.length;
      continue;
    }
    if (c === '"' || c === "'") {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + quote.length;
      let closed = false;
      while (j < text.length) {
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (quote.length === 1 && text[j] === '\n') break;
        if (text.startsWith(quote, j)) {
          closed = true;
          break;
        }
        j++;
      }
      if (!closed) {
        error ??= `line ${line}: unterminated string`;
        j = Math.min(j, text.length);
      }
      const body = text.slice(i + quote.length, j);
      const end = closed ? j + quote.length : j;
      noComments += text.slice(i, end);
      code += quote + blank(body) + (closed ? quote : '');
      line += body.split('\n').length - 1;
      i = end;
      continue;
    }
    if (c === '\n') line++;
    noComments += c;
    code += c;
    i++;
  }
  return { noComments, code, error };
}
