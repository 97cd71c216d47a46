// The AI-script wall: `scanPython(code)` decides whether an AI-proposed Python script may go to an engine.
// Two nets — a walk of the real syntax tree (with string folding) and normalised-text patterns — and a
// parse-error policy. A blocked result means "Security Breach" in failure-modes.md (PANIC, quarantine).
// It is a wall, not a sandbox: the engine adapter runs approved scripts with restricted builtins too.
import { parser } from '@lezer/python';
import { LIMITS, VibeSyncError } from '../../../shared/protocol/index.js';
import type { ScanFinding } from '../../../shared/ipc/view.js';
import { scanText } from './text-net.js';
import { walkTree, type Report } from './tree-walk.js';

export interface ScanResult {
  blocked: boolean;
  findings: ScanFinding[];
}

/** Line starts as Python counts lines: \n, \r\n and a lone \r each end one. */
function lineStarts(src: string): number[] {
  const starts = [0];
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 10 || (c === 13 && src.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line and column (UTF-16 units, as an editor shows them) of an offset. */
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

/**
 * The text handed to the parser. @lezer/python 1.1 rejects floats written with a trailing dot (`0.`),
 * common in Blender scripts; the dot becomes a space so offsets stay the same, and every node's text
 * is still read from the original script.
 */
function forParser(code: string): string {
  return code.replace(/(?<![\w.])(\d[\d_]*)\.(?![\w.])/g, '$1 ');
}

/**
 * Scans one AI-proposed Python script. Findings are sorted by position; `blocked` is true when any
 * finding has severity 'block'. Never throws for any string; a non-string is a typed SCHEMA_VIOLATION.
 */
export function scanPython(code: string): ScanResult {
  if (typeof code !== 'string') throw new VibeSyncError('SCHEMA_VIOLATION', 'script code must be a string');
  const starts = lineStarts(code);
  const tree: ScanFinding[] = [];
  const text: ScanFinding[] = [];
  const seen = new Set<string>();
  const into =
    (list: ScanFinding[]): Report =>
    (node, rule, message, severity = 'block') => {
      const { line, column } = position(starts, node.from);
      const key = `${rule}@${line}:${column}`;
      if (seen.has(key)) return;
      seen.add(key);
      list.push({ rule, message, line, column, severity });
    };
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > LIMITS.maxScriptBytes) {
    into(tree)({ from: 0, to: 0 }, 'too-large', `script is ${bytes} bytes; the limit is ${LIMITS.maxScriptBytes}`);
    return { blocked: true, findings: tree };
  }
  const parsed = parser.parse(forParser(code));
  const bindings = walkTree(parsed, code, into(tree));
  scanText(code, parsed, into(text), bindings.bound);
  // The text net is a second net: it speaks only on lines the tree walk found nothing to block on.
  const blockedLines = new Set(tree.filter((f) => f.severity === 'block').map((f) => f.line));
  const findings = [...tree, ...text.filter((f) => f.rule === 'invisible-char' || !blockedLines.has(f.line))].sort(
    (a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule),
  );
  return { blocked: findings.some((f) => f.severity === 'block'), findings };
}
