// The corpora are the scanner's contract: every evasion sample blocked, at most one benign script blocked.
import { describe, expect, it } from 'vitest';
import { loadCorpus, measureCorpus } from '../../../test/support/scanner-corpus.js';
import { scanPython } from './scanner.js';

const benign = loadCorpus('benign');
const evasion = loadCorpus('evasion');

describe('scanner corpora', () => {
  it('holds at least 30 benign scene scripts and 40 evasion samples', () => {
    expect(benign.length).toBeGreaterThanOrEqual(30);
    expect(evasion.length).toBeGreaterThanOrEqual(40);
  });

  it.each(evasion.map((s) => [s.name, s.code] as const))('blocks evasion sample %s', (_name, code) => {
    const result = scanPython(code);
    expect(result.blocked).toBe(true);
    expect(result.findings.some((f) => f.severity === 'block')).toBe(true);
  });

  it('blocks at most one benign scene script (and says which)', () => {
    const figures = measureCorpus(benign, evasion);
    console.log(
      `scanner corpus: recall ${figures.recallPct.toFixed(1)}% on ${evasion.length} evasions; ` +
        `false positives ${figures.falsePositives.length}/${benign.length}${figures.falsePositives.length ? `: ${figures.falsePositives.join(', ')}` : ''}`,
    );
    for (const name of figures.falsePositives) {
      const findings = scanPython(benign.find((s) => s.name === name)!.code).findings.filter((f) => f.severity === 'block');
      console.log(`  ${name}: ${findings.map((f) => `${f.rule}@${f.line}:${f.column} ${f.message}`).join('; ')}`);
    }
    expect(figures.missed).toEqual([]);
    expect(figures.falsePositives.length).toBeLessThanOrEqual(1);
  });
});
