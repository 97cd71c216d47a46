// Constant folding of Python string expressions on the lezer tree: 'o'+'s', ''.join([...]), chr(111),
// '%s' % ..., f-strings, [::-1], .format/.replace, b64decode / rot13 / fromhex of literals, and names bound
// once to a constant. An evasion hides a blocked name in a string built at run time; folding shows it.
import type { SyntaxNode } from '@lezer/common';
import { decodeEscapes, literalValue, splitLiteral } from './python-string.js';

export type Value = string | number | Value[] | null;

const MAX_STRING = 4096;
const MAX_LIST = 4096;
const MAX_DEPTH = 120;

const PLAIN = /^[A-Za-z0-9_.]*$/;
/** Python's identifier normalisation (NFKC), with a fast path for the usual plain ASCII name. */
export const nfkc = (s: string): string => (PLAIN.test(s) ? s : s.normalize('NFKC'));

/** The child nodes of `node`, in order. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Children that are expressions (capitalised node names), without punctuation, keywords or comments. */
export function exprChildren(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).filter((c) => /^[A-Z]/.test(c.name) && c.name !== 'Comment' && !c.name.endsWith('Op'));
}

function parseNumber(text: string): number | null {
  const t = text.replace(/_/g, '').toLowerCase();
  if (/j$/.test(t)) return null;
  if (/^0x[0-9a-f]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0o[0-7]+$/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0b[01]+$/.test(t)) return parseInt(t.slice(2), 2);
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

const str = (v: Value): string | null => (typeof v === 'string' && v.length <= MAX_STRING ? v : null);
const list = (v: Value): Value[] | null => (Array.isArray(v) ? v : typeof v === 'string' ? [...v] : null);
const rot13 = (s: string): string =>
  s.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
const fromBase64 = (s: string): string | null => (/^[A-Za-z0-9+/=_\-\s]*$/.test(s) ? Buffer.from(s, 'base64').toString('latin1') : null);
const fromHex = (s: string): string | null =>
  /^([0-9a-fA-F]{2}\s*)*$/.test(s) ? Buffer.from(s.replace(/\s/g, ''), 'hex').toString('latin1') : null;
const isLatin1 = (s: string): boolean => [...s].every((c) => c.charCodeAt(0) < 256);
const utf8 = (s: string): string => (isLatin1(s) ? Buffer.from(s, 'latin1').toString('utf8') : s);

function codec(s: string, name: Value): string | null {
  const n = typeof name === 'string' ? name.toLowerCase().replace(/[-_]/g, '') : 'utf8';
  if (n === 'rot13') return rot13(s);
  if (n === 'base64') return fromBase64(s);
  if (n === 'hex') return fromHex(s);
  if (['utf8', 'ascii', 'latin1', 'utf', 'u8'].includes(n)) return utf8(s);
  return null;
}

function percentFormat(fmt: string, arg: Value): string | null {
  const args = Array.isArray(arg) ? arg : [arg];
  let i = 0;
  let ok = true;
  const out = fmt.replace(/%([%srdic])/g, (_m, k: string) => {
    if (k === '%') return '%';
    const v = args[i++];
    if (v === undefined || v === null) {
      ok = false;
      return '';
    }
    if (k === 'c') return typeof v === 'number' ? String.fromCodePoint(v) : String(v);
    return Array.isArray(v) ? ((ok = false), '') : String(v);
  });
  return ok && i === args.length ? out : null;
}

function braceFormat(fmt: string, args: Value[]): string | null {
  let auto = 0;
  let ok = true;
  const out = fmt.replace(/\{\{|\}\}|\{(\d*)\}/g, (m, idx: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const v = args[idx ? Number(idx) : auto++];
    if (v === undefined || v === null || Array.isArray(v)) {
      ok = false;
      return '';
    }
    return String(v);
  });
  return ok ? out : null;
}

/** Folds expressions of one script. `env` holds names bound to constants at top level. */
export class Folder {
  private readonly memo = new Map<number, Value>();
  private readonly scopes: Map<string, Value>[] = [];
  private depth = 0;

  constructor(
    private readonly src: string,
    readonly env: Map<string, Value> = new Map(),
  ) {}

  text(node: SyntaxNode): string {
    return this.src.slice(node.from, node.to);
  }

  /** The constant value of `node`, or null when it depends on anything not known here. */
  fold(node: SyntaxNode): Value {
    if (this.depth >= MAX_DEPTH) return null;
    // Numeric key, exact for scripts under 128 Ki characters (the protocol caps them at 64 KiB).
    const key = (node.from * 131072 + node.to) * 1024 + node.type.id;
    if (this.scopes.length === 0 && this.memo.has(key)) return this.memo.get(key)!;
    this.depth++;
    let v: Value;
    try {
      v = this.foldNode(node);
    } finally {
      this.depth--;
    }
    if (typeof v === 'string' && v.length > MAX_STRING) v = null;
    if (Array.isArray(v) && v.length > MAX_LIST) v = null;
    if (this.scopes.length === 0) this.memo.set(key, v);
    return v;
  }

  private foldNode(node: SyntaxNode): Value {
    switch (node.name) {
      case 'String':
        return literalValue(this.text(node));
      case 'FormatString':
        return this.foldFString(node);
      case 'ContinuedString': {
        const parts = exprChildren(node).map((c) => str(this.fold(c)));
        return parts.every((p) => p !== null) ? parts.join('') : null;
      }
      case 'Number':
        return parseNumber(this.text(node));
      case 'ParenthesizedExpression': {
        const inner = exprChildren(node);
        return inner.length === 1 ? this.fold(inner[0]!) : null;
      }
      case 'ArrayExpression':
      case 'TupleExpression': {
        if (childrenOf(node).some((c) => c.name === '*' || c.name === '**')) return null;
        const items = exprChildren(node).map((c) => this.fold(c));
        return items.every((i) => i !== null) ? items : null;
      }
      case 'BinaryExpression':
        return this.foldBinary(node);
      case 'UnaryExpression': {
        const [op, arg] = childrenOf(node);
        const n = arg ? this.fold(arg) : null;
        return typeof n === 'number' && op && this.text(op) === '-' ? -n : null;
      }
      case 'VariableName':
        return this.lookup(nfkc(this.text(node)));
      case 'CallExpression':
        return this.foldCall(node);
      case 'MemberExpression':
        return this.foldSubscript(node);
      case 'ArrayComprehensionExpression':
        return this.foldComprehension(childrenOf(node).slice(1, -1));
      default:
        return null;
    }
  }

  private lookup(name: string): Value {
    for (let i = this.scopes.length - 1; i >= 0; i--) if (this.scopes[i]!.has(name)) return this.scopes[i]!.get(name)!;
    return this.env.get(name) ?? null;
  }

  private foldBinary(node: SyntaxNode): Value {
    const [l, op, r] = childrenOf(node);
    if (!l || !op || !r) return null;
    const a = this.fold(l);
    const o = this.text(op);
    if (o === '%' && typeof a === 'string') return percentFormat(a, this.fold(r));
    const b = this.fold(r);
    if (a === null || b === null) return null;
    if (o === '+') {
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (typeof a === 'number' && typeof b === 'number') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      return null;
    }
    if (o === '*') {
      if (typeof a === 'number' && typeof b === 'number') return a * b;
      const [s, n] = typeof a === 'string' ? [a, b] : [b, a];
      return typeof s === 'string' && typeof n === 'number' && n >= 0 && s.length * n <= MAX_STRING ? s.repeat(n) : null;
    }
    if (typeof a !== 'number' || typeof b !== 'number') return null;
    if (o === '-') return a - b;
    if (o === '//') return b === 0 ? null : Math.floor(a / b);
    if (o === '%') return b === 0 ? null : ((a % b) + b) % b;
    return null;
  }

  private foldFString(node: SyntaxNode): Value {
    const whole = this.text(node);
    const parts = splitLiteral(whole);
    if (!parts) return null;
    const raw = parts.prefix.includes('r');
    const bodyStart = node.from + whole.indexOf(parts.body, parts.prefix.length);
    let out = '';
    let at = bodyStart;
    const literal = (to: number): string | null =>
      decodeEscapes(this.src.slice(at, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}'), raw, false);
    for (const rep of childrenOf(node).filter((c) => c.name === 'FormatReplacement')) {
      const lit = literal(rep.from);
      if (lit === null) return null;
      const inner = childrenOf(rep);
      const conversion = inner.find((c) => c.name === 'FormatConversion');
      const spec = inner.find((c) => c.name === 'FormatSpec');
      if ((conversion && this.text(conversion) !== '!s') || (spec && !/^:s?$/.test(this.text(spec)))) return null;
      const expr = exprChildren(rep).find((c) => c.name !== 'FormatConversion' && c.name !== 'FormatSpec');
      const v = expr ? this.fold(expr) : null;
      if (v === null || Array.isArray(v)) return null;
      out += lit + String(v);
      at = rep.to;
    }
    const tail = literal(bodyStart + parts.body.length);
    return tail === null ? null : out + tail;
  }

  private foldSubscript(node: SyntaxNode): Value {
    const kids = childrenOf(node);
    if (kids[1]?.name !== '[') return null;
    const base = this.fold(kids[0]!);
    const seq = list(base);
    if (!seq) return null;
    const inside = kids.slice(2, -1);
    const asString = typeof base === 'string';
    if (!inside.some((k) => k.name === ':')) {
      const idx = inside.length === 1 ? this.fold(inside[0]!) : null;
      if (typeof idx !== 'number') return null;
      return seq[idx < 0 ? seq.length + idx : idx] ?? null;
    }
    const slots: [number | null, number | null, number | null] = [null, null, null];
    let slot = 0;
    for (const k of inside) {
      if (k.name === ':') {
        slot++;
        continue;
      }
      const v = this.fold(k);
      if (typeof v !== 'number' || slot > 2) return null;
      slots[slot] = v;
    }
    const step = slots[2] ?? 1;
    if (step === 0) return null;
    const n = seq.length;
    const norm = (i: number | null, dflt: number): number =>
      i === null ? dflt : i < 0 ? Math.max(i + n, step < 0 ? -1 : 0) : Math.min(i, step < 0 ? n - 1 : n);
    const start = norm(slots[0], step > 0 ? 0 : n - 1);
    const stop = norm(slots[1], step > 0 ? n : -1);
    const out: Value[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(seq[i]!);
    return asString ? out.join('') : out;
  }

  /** `body for name in iterable` with a single loop and no filter: [chr(c) for c in [111, 115]]. */
  private foldComprehension(parts: SyntaxNode[]): Value {
    const names = parts.map((p) => p.name);
    if (names.length !== 5 || names[1] !== 'for' || names[2] !== 'VariableName' || names[3] !== 'in') return null;
    const seq = list(this.fold(parts[4]!));
    if (!seq || seq.length > MAX_LIST) return null;
    const name = nfkc(this.text(parts[2]!));
    const out: Value[] = [];
    for (const item of seq) {
      this.scopes.push(new Map([[name, item]]));
      try {
        out.push(this.fold(parts[0]!));
      } finally {
        this.scopes.pop();
      }
      if (out[out.length - 1] === null) return null;
    }
    return out;
  }

  private foldCall(node: SyntaxNode): Value {
    const [callee, argList] = childrenOf(node);
    if (!callee || argList?.name !== 'ArgList') return null;
    const argNodes = childrenOf(argList).slice(1, -1);
    let args: Value[];
    if (argNodes.some((a) => a.name === 'for')) {
      const gen = this.foldComprehension(argNodes);
      if (gen === null) return null;
      args = [gen];
    } else {
      if (argNodes.some((a) => a.name === 'AssignOp' || a.name === '*' || a.name === '**')) return null;
      args = exprChildren(argList).map((a) => this.fold(a));
    }
    if (callee.name === 'VariableName') return this.callFunction(nfkc(this.text(callee)), args, argNodes);
    if (callee.name !== 'MemberExpression') return null;
    const mk = childrenOf(callee);
    const prop = mk[2];
    if (mk[1]?.name !== '.' || prop?.name !== 'PropertyName') return null;
    const method = nfkc(this.text(prop));
    const receiverNode = mk[0]!;
    const receiverName = receiverNode.name === 'VariableName' ? nfkc(this.text(receiverNode)) : null;
    const decoded = this.callDecoder(method, receiverName, args);
    if (decoded !== undefined) return decoded;
    if (receiverName === 'str' && !this.lookup('str')) return this.callMethod(args[0] ?? null, method, args.slice(1));
    const receiver = this.fold(receiverNode);
    return this.callMethod(receiver, method, args);
  }

  /** Module-level decoders: base64.b64decode, codecs.decode, bytes.fromhex, binascii.unhexlify. */
  private callDecoder(method: string, receiver: string | null, args: Value[]): Value | undefined {
    const a0 = str(args[0] ?? null);
    if (/^(urlsafe_)?b64decode$|^decodebytes$|^a2b_base64$/.test(method)) return a0 === null ? null : fromBase64(a0);
    if (method === 'unhexlify' || method === 'a2b_hex' || (method === 'fromhex' && receiver !== 'float'))
      return a0 === null ? null : fromHex(a0);
    if (receiver === 'codecs' && (method === 'decode' || method === 'encode')) return a0 === null ? null : codec(a0, args[1] ?? 'utf8');
    return undefined;
  }

  private callFunction(name: string, args: Value[], argNodes: SyntaxNode[]): Value {
    const [a0 = null, a1 = null] = args;
    switch (name) {
      case 'chr':
        return typeof a0 === 'number' && a0 >= 0 && a0 <= 0x10ffff && Number.isInteger(a0) ? String.fromCodePoint(a0) : null;
      case 'ord':
        return typeof a0 === 'string' && [...a0].length === 1 ? a0.codePointAt(0)! : null;
      case 'str':
        return typeof a0 === 'string' ? (a1 === null ? a0 : codec(a0, a1)) : typeof a0 === 'number' ? String(a0) : null;
      case 'int':
        return typeof a0 === 'number' ? Math.trunc(a0) : typeof a0 === 'string' ? parseNumber(a1 === 16 ? `0x${a0}` : a0) : null;
      case 'bytes':
      case 'bytearray':
        if (typeof a0 === 'string') return a1 === null ? a0 : codec(a0, a1);
        return Array.isArray(a0) && a0.every((n) => typeof n === 'number' && n >= 0 && n < 256)
          ? String.fromCharCode(...(a0 as number[]))
          : null;
      case 'list':
      case 'tuple':
        return list(a0);
      case 'reversed': {
        const l = list(a0);
        return l ? [...l].reverse() : null;
      }
      case 'map': {
        const fn = argNodes[0] && argNodes[0].name === 'VariableName' ? nfkc(this.text(argNodes[0])) : null;
        const l = list(a1);
        if (!l || (fn !== 'chr' && fn !== 'str')) return null;
        return l.map((x) => this.callFunction(fn, [x], []));
      }
      case 'b64decode':
      case 'urlsafe_b64decode':
        return typeof a0 === 'string' ? fromBase64(a0) : null;
      case 'unhexlify':
        return typeof a0 === 'string' ? fromHex(a0) : null;
      default:
        return null;
    }
  }

  private callMethod(receiver: Value, method: string, args: Value[]): Value {
    const s = str(receiver);
    if (s === null) return null;
    const [a0 = null, a1 = null] = args;
    switch (method) {
      case 'join': {
        const parts = list(a0);
        return parts && parts.every((p) => typeof p === 'string') ? parts.join(s) : null;
      }
      case 'upper':
        return s.toUpperCase();
      case 'lower':
      case 'casefold':
        return s.toLowerCase();
      case 'strip':
        return typeof a0 === 'string' ? null : s.trim();
      case 'lstrip':
        return typeof a0 === 'string' ? null : s.trimStart();
      case 'rstrip':
        return typeof a0 === 'string' ? null : s.trimEnd();
      case 'capitalize':
        return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
      case 'title':
        return s.replace(/\w+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
      case 'swapcase':
        return s.replace(/[a-z]/gi, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
      case '__add__':
        return typeof a0 === 'string' ? s + a0 : null;
      case 'replace':
        return typeof a0 === 'string' && typeof a1 === 'string' ? s.split(a0).join(a1) : null;
      case 'format':
        return braceFormat(s, args);
      case 'decode':
      case 'encode':
        return codec(s, a0 ?? 'utf8');
      default:
        return null;
    }
  }
}
