// The script policy as a static check: walks the @lezer/python syntax tree and refuses every import,
// name and attribute the script language (language.ts) does not list. It is an allow-list: anything
// not named there fails, whatever trick reaches it. Both walls run this same function: the scanner at
// proposal time (security/scanner.ts) and the sandbox before it executes (sandbox.ts).
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { ScanFinding } from '../../../shared/ipc/view.js';
import { LIMITS, VibeSyncError } from '../../../shared/protocol/index.js';
import { ALLOWED_ATTRIBUTES, API_GLOBALS, BUILTINS, DUNDER_METHODS, MODULES, RESERVED_ATTRIBUTE } from './language.js';

export interface ScanResult {
  blocked: boolean;
  findings: ScanFinding[];
}

const KNOWN_NAMES = new Set([...BUILTINS, ...API_GLOBALS]);
const UNPACK = new Set(['TupleExpression', 'ArrayExpression', 'ParenthesizedExpression']);
const REFUSED_NODES: Record<string, string> = {
  ClassPattern: 'a class pattern in `case` reads attributes by name; match on values instead',
  AwaitExpression: 'async code is not part of the script language',
};

/** Line starts as Python counts lines: \n, \r\n and a lone \r each end one. */
function lineStarts(src: string): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 10 || (c === 13 && src.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** @lezer/python rejects floats written with a trailing dot (`0.`); the dot becomes a space, offsets stay. */
const forParser = (code: string) => code.replace(/(?<![\w.])(\d[\d_]*)\.(?![\w.])/g, '$1 ');

/**
 * Sibling lookups that stay linear in the script's size. lezer's `prevSibling` / `nextSibling` on a
 * node inside a tree buffer rescan the parent from its start, so asking them for every name of one
 * wide statement (`print(a, a, …)` with 20,000 arguments) cost minutes of the host's main thread.
 * Each parent's children are listed once with a cursor; a parent is known by type and span (a node and
 * a same-type child with the same span do not occur in this grammar).
 */
class Family {
  private readonly lists = new Map<string, { kids: SyntaxNode[]; lastAssign: number; forTarget: Uint8Array }>();

  private of(parent: SyntaxNode) {
    const key = `${parent.type.id}:${parent.from}:${parent.to}`;
    let entry = this.lists.get(key);
    if (!entry) {
      const kids: SyntaxNode[] = [];
      const cursor = parent.cursor();
      if (cursor.firstChild())
        do kids.push(cursor.node);
        while (cursor.nextSibling());
      let lastAssign = -1;
      const forTarget = new Uint8Array(kids.length);
      let inFor = 0;
      kids.forEach((k, i) => {
        if (k.name === 'AssignOp') lastAssign = i;
        forTarget[i] = inFor;
        if (k.name === 'for') inFor = 1;
        else if (k.name === 'in') inFor = 0;
      });
      entry = { kids, lastAssign, forTarget };
      this.lists.set(key, entry);
    }
    return entry;
  }

  /** `node`'s place among its parent's children. */
  at(node: SyntaxNode) {
    const parent = node.parent;
    if (!parent) return null;
    const entry = this.of(parent);
    const { kids } = entry;
    let lo = 0;
    let hi = kids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kids[mid]!.from < node.from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < kids.length && kids[i]!.from === node.from; i++)
      if (kids[i]!.to === node.to && kids[i]!.type === node.type) return { ...entry, i };
    return null;
  }

  prev(node: SyntaxNode): SyntaxNode | null {
    const a = this.at(node);
    return a ? (a.kids[a.i - 1] ?? null) : null;
  }

  next(node: SyntaxNode): SyntaxNode | null {
    const a = this.at(node);
    return a ? (a.kids[a.i + 1] ?? null) : null;
  }

  children(parent: SyntaxNode): SyntaxNode[] {
    return this.of(parent).kids;
  }
}

/** Whether `node` (a name) is written to: an assignment / for / with / except / walrus / import target. */
function isTarget(node: SyntaxNode, family: Family): boolean {
  let c = node;
  while (c.parent && UNPACK.has(c.parent.name)) c = c.parent;
  const p = c.parent;
  if (!p) return false;
  const at = family.at(c);
  if (!at) return false;
  if (p.name === 'AssignStatement') return at.i < at.lastAssign;
  if (p.name === 'UpdateStatement' || p.name === 'NamedExpression') return at.i === 0;
  if (['FunctionDefinition', 'ClassDefinition', 'ImportStatement', 'CapturePattern', 'ScopeStatement'].includes(p.name)) return true;
  const prev = at.kids[at.i - 1];
  if (p.name === 'ParamList') return prev?.name !== 'AssignOp';
  if (prev?.name === 'as') return true;
  return at.forTarget[at.i] === 1;
}

/** The attribute names the script itself defines: methods and fields of its classes, `x.attr = …` targets. */
function definedAttribute(node: SyntaxNode, family: Family): boolean {
  if (node.name === 'PropertyName') return node.parent?.name === 'MemberExpression' && isTarget(node.parent, family);
  const inClassBody = (stmt: SyntaxNode | null) => stmt?.parent?.name === 'Body' && stmt.parent.parent?.name === 'ClassDefinition';
  if (node.parent?.name === 'FunctionDefinition') return inClassBody(node.parent);
  return node.parent?.name === 'AssignStatement' && isTarget(node, family) && inClassBody(node.parent);
}

/**
 * Where lezer's reading of an f-string's literal text differs from Python's, or null. Python (3.12+,
 * the sandbox runs 3.14) starts a replacement field at every `{` that is not doubled, even after a
 * backslash (`\{` is no escape), while lezer reads `\{` as an escape, in raw f-strings too, and never
 * parses the field: `f"\{print.__globals__}"` ran code the check never saw. So every text lezer took
 * for literal must be literal for Python too: only `{{`, `}}` and `\N{NAME}` (not raw) hold a brace.
 */
function formatLiteralMismatch(code: string, node: SyntaxNode, family: Family): number | null {
  const prefix = /^[A-Za-z]*/.exec(code.slice(node.from, node.from + 3))![0];
  const raw = /r/i.test(prefix);
  const open = node.from + prefix.length;
  const quotes = code.startsWith(code[open]!.repeat(3), open) ? 3 : 1;
  const segments: Array<[number, number]> = [];
  let start = open + quotes;
  for (const kid of family.children(node))
    if (kid.name === 'FormatReplacement') {
      segments.push([start, kid.from]);
      start = kid.to;
    }
  segments.push([start, Math.max(start, node.to - quotes)]);
  for (const [from, to] of segments) {
    for (let i = from; i < to;) {
      const c = code[i];
      if (c === '\\') {
        const next = code[i + 1];
        if (next === '{' || next === '}') i += 1;
        else if (!raw && next === 'N' && code[i + 2] === '{') {
          const close = code.indexOf('}', i + 3);
          if (close < 0 || close >= to) return i;
          i = close + 1;
        } else i += 2;
      } else if (c === '{' || c === '}') {
        if (i + 1 < to && code[i + 1] === c) i += 2;
        else return i;
      } else i++;
    }
  }
  return null;
}

/**
 * Checks one script against the language. Findings are sorted by position; every finding blocks (a
 * refused script is a Security Breach at proposal time). Never throws for any string.
 */
export function checkPolicy(code: string): ScanResult {
  if (typeof code !== 'string') throw new VibeSyncError('SCHEMA_VIOLATION', 'script code must be a string');
  try {
    return analyse(code);
  } catch {
    // Fail closed: a script the checker itself cannot walk is refused, never waved through or thrown.
    const message = 'the script could not be checked (its syntax tree could not be walked); it is never run';
    return { blocked: true, findings: [{ rule: 'syntax', message, line: 1, column: 1, severity: 'block' }] };
  }
}

/**
 * Pre-order walk of the named nodes with one cursor. lezer's Tree.iterate threw a TypeError on some
 * error-recovered trees ("(]{)" repeated 4,000 times), so scanPython threw instead of refusing.
 */
function walk(tree: Tree, enter: (n: SyntaxNode) => void) {
  const cursor = tree.cursor();
  do enter(cursor.node);
  while (cursor.next());
}

function analyse(code: string): ScanResult {
  const findings: ScanFinding[] = [];
  const starts = lineStarts(code);
  const seen = new Set<string>();
  const report = (node: { from: number }, rule: string, message: string) => {
    const { line, column } = position(starts, node.from);
    const key = `${rule}@${line}:${column}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ rule, message, line, column, severity: 'block' });
  };
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > LIMITS.maxScriptBytes) {
    report({ from: 0 }, 'too-large', `script is ${bytes} bytes; the limit is ${LIMITS.maxScriptBytes}`);
    return { blocked: true, findings };
  }
  const tree = parser.parse(forParser(code));
  const family = new Family();
  const text = (n: SyntaxNode) => code.slice(n.from, n.to);
  // First pass: what the script binds (names) and defines (attributes of its own classes and values).
  const bound = new Set<string>();
  const defined = new Set<string>();
  walk(tree, (n) => {
    if (n.name === 'VariableName' && isTarget(n, family) && n.parent?.name !== 'ImportStatement') bound.add(text(n));
    if ((n.name === 'PropertyName' || n.name === 'VariableName') && definedAttribute(n, family)) defined.add(text(n));
  });
  walk(tree, (n) => {
    if (n.type.isError) return void report(n, 'syntax', 'the script does not parse; a script that does not parse is never run');
    const refused = REFUSED_NODES[n.name];
    if (refused) return void report(n, n.name === 'ClassPattern' ? 'class-pattern' : 'async', refused);
    if (n.name === 'async') return void report(n, 'async', REFUSED_NODES.AwaitExpression!);
    if (n.name === 'except' && family.next(n)?.name === 'Body')
      return void report(
        n,
        'bare-except',
        "a bare `except:` would swallow the sandbox's limits: name the exception, e.g. `except ValueError:`",
      );
    if (n.name === 'FormatString') {
      const at = formatLiteralMismatch(code, n, family);
      if (at !== null)
        report(
          { from: at },
          'format-string',
          'Python reads a replacement field where this f-string looks like text (`\\{` is no escape in an f-string): write `{{` or `}}` for a brace',
        );
    }
    if (n.name === 'ImportStatement') return void checkImport(family.children(n), text, report, bound, n);
    if (n.name === 'VariableName' || n.name === 'PropertyName') {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text(n)))
        return void report(n, 'non-ascii-name', `"${text(n)}" is not an ASCII name: names in a script are A-Z a-z 0-9 _ only`);
    }
    if (n.name === 'VariableName') {
      const name = text(n);
      const afterDot = n.parent?.name === 'Decorator' && family.prev(n)?.name === '.';
      if (afterDot) return void checkAttribute(n, name, defined, report);
      if (definedAttribute(n, family)) {
        if (name.startsWith('__') ? !DUNDER_METHODS.has(name) : RESERVED_ATTRIBUTE.test(name))
          report(
            n,
            'reserved-attribute',
            `a class in a script may not define "${name}": see docs/scripts.md for the special methods it may define`,
          );
        return;
      }
      if (name.startsWith('__'))
        return void report(n, 'dunder-name', `"${name}" is not part of the script language (no double-underscore names)`);
      if (isTarget(n, family) || (n.parent?.name === 'ArgList' && family.next(n)?.name === 'AssignOp')) return;
      if (!bound.has(name) && !KNOWN_NAMES.has(name))
        report(n, 'unknown-name', `"${name}" is not part of the script language: see docs/scripts.md for what a script can use`);
      return;
    }
    if (n.name === 'PropertyName') {
      const name = text(n);
      if (definedAttribute(n, family) && RESERVED_ATTRIBUTE.test(name))
        return void report(n, 'reserved-attribute', `"${name}" is reserved by Python's introspection`);
      checkAttribute(n, name, defined, report);
    }
  });
  findings.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  return { blocked: findings.length > 0, findings };
}

type Report = (node: { from: number }, rule: string, message: string) => void;

function checkAttribute(n: SyntaxNode, name: string, defined: Set<string>, report: Report) {
  if (name.startsWith('_')) return report(n, 'private-attribute', `attribute "${name}" is not part of the script language`);
  if (RESERVED_ATTRIBUTE.test(name)) return report(n, 'reserved-attribute', `attribute "${name}" is reserved by Python's introspection`);
  if (!ALLOWED_ATTRIBUTES.has(name) && !defined.has(name))
    report(n, 'unknown-attribute', `attribute "${name}" is not part of the script language: see docs/scripts.md`);
}

function checkImport(parts: SyntaxNode[], text: (n: SyntaxNode) => string, report: Report, bound: Set<string>, n: SyntaxNode) {
  const allowed = Object.keys(MODULES).join(', ');
  if (parts[0]?.name === 'from') {
    const mod = parts[1];
    if (!mod || mod.name !== 'VariableName' || parts[2]?.name !== 'import')
      return report(n, 'import', `only "from MODULE import NAME" of ${allowed} is allowed (no relative or dotted imports)`);
    const names = MODULES[text(mod)];
    if (!names) return report(mod, 'import', `module "${text(mod)}" is not importable: scripts may import only ${allowed}`);
    for (let i = 3; i < parts.length; i++) {
      const p = parts[i]!;
      if (p.name === '*') report(p, 'import', 'star imports are not allowed: name what you import');
      if (p.name !== 'VariableName') continue;
      if (parts[i - 1]?.name === 'as') {
        bound.add(text(p));
        continue;
      }
      if (!names.includes(text(p))) report(p, 'import', `"${text(p)}" is not importable from ${text(mod)}`);
      else bound.add(text(p));
    }
    return;
  }
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.name === '.') return report(p, 'import', 'dotted imports are not allowed');
    if (p.name !== 'VariableName') continue;
    if (parts[i - 1]?.name === 'as') bound.add(text(p));
    else if (!MODULES[text(p)]) report(p, 'import', `module "${text(p)}" is not importable: scripts may import only ${allowed}`);
    else bound.add(text(p));
  }
}
