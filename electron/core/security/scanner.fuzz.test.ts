// Robustness: whatever text an agent sends, the scanner returns a well-formed verdict and never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { soup } from '../../../test/support/token-soup.js';
import { scanPython, type ScanResult } from './scanner.js';

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
