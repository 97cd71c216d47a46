// Robustness: whatever text an agent sends, the scanner returns a well-formed verdict and never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanPython, type ScanResult } from './scanner.js';

const TOKENS = [
  'bpy',
  'data',
  'objects',
  'location',
  'rotation_euler',
  'scale',
  'materials',
  'new',
  'name',
  'math',
  'radians',
  'for',
  'in',
  'range',
  'if',
  'else',
  'elif',
  'def',
  'return',
  'lambda',
  'class',
  'import',
  'from',
  'as',
  'with',
  'not',
  'and',
  'or',
  'is',
  'None',
  'True',
  'pass',
  'yield',
  'global',
  'try',
  'except',
  'finally',
  'async',
  'await',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '.',
  '=',
  '+',
  '-',
  '*',
  '**',
  '/',
  '//',
  '%',
  '@',
  '->',
  ':=',
  '+=',
  '\n',
  '\n    ',
  '\n        ',
  '\\\n',
  '#',
  "'",
  '"',
  "'''",
  'f"',
  '{x}',
  '1',
  '0.5',
  '1e3',
  '0x1f',
  '[::-1]',
];

const soup = fc
  .array(
    fc.oneof(
      fc.constantFrom(...TOKENS),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/),
      fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
      fc.integer({ min: -1000, max: 1000 }).map(String),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(' '));

function wellFormed(code: string, r: ScanResult): void {
  expect(typeof r.blocked).toBe('boolean');
  expect(r.blocked).toBe(r.findings.some((f) => f.severity === 'block'));
  const lines = code.split(/\r\n|\r|\n/).length;
  for (const f of r.findings) {
    expect(f.rule.length).toBeGreaterThan(0);
    expect(f.message.length).toBeGreaterThan(0);
    expect(['block', 'warn']).toContain(f.severity);
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.line).toBeLessThanOrEqual(lines);
    expect(f.column).toBeGreaterThanOrEqual(1);
  }
}

describe('scanPython never throws', () => {
  it('on random benign-looking identifier soup', () => {
    fc.assert(
      fc.property(soup, (code) => {
        wellFormed(code, scanPython(code));
      }),
      { numRuns: 400 },
    );
  });

  it('on arbitrary unicode text, and gives the same verdict twice', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (code) => {
        const r = scanPython(code);
        wellFormed(code, r);
        expect(scanPython(code)).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });

  it('on very deep nesting and very long chains', () => {
    const cases = [
      `x = ${'('.repeat(2000)}1${')'.repeat(2000)}\n`,
      `x = ${Array.from({ length: 5000 }, () => "'a'").join(' + ')}\n`,
      `x = ${'['.repeat(1500)}${']'.repeat(1500)}\n`,
      `x = 'o' * 100000000 + 's'\n`,
      `x = ${'-'.repeat(3000)}1\n`,
      `${'    '.repeat(200)}pass\n`,
    ];
    for (const code of cases) wellFormed(code, scanPython(code));
  });
});
