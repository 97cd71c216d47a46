// The corpora are the scanner's contract: every evasion refused, no benign script refused, every bpy
// script refused (bpy is not the script language), strings that merely spell blocked names let through.
import { describe, expect, it } from 'vitest';
import { loadCorpus, measureCorpus } from '../../../test/support/scanner-corpus.js';
import { scanPython } from './scanner.js';

const benign = loadCorpus('benign');
const evasion = loadCorpus('evasion');

describe('scanner corpora', () => {
  it('holds at least 30 benign scene scripts and 80 evasion samples', () => {
    expect(benign.length).toBeGreaterThanOrEqual(30);
    expect(evasion.length).toBeGreaterThanOrEqual(80);
  });

  it.each(evasion.map((s) => [s.name, s.code] as const))('refuses evasion sample %s', (_name, code) => {
    const result = scanPython(code);
    expect(result.blocked).toBe(true);
    expect(result.findings.every((f) => f.severity === 'block')).toBe(true);
  });

  it('refuses no benign scene script (and says which if it does)', () => {
    const figures = measureCorpus(benign, evasion);
    console.log(
      `scanner corpus: recall ${figures.recallPct.toFixed(1)}% on ${evasion.length} evasions; ` +
        `false positives ${figures.falsePositives.length}/${benign.length}`,
    );
    const why = figures.falsePositives.map((name) => {
      const f = scanPython(benign.find((s) => s.name === name)!.code).findings[0]!;
      return `${name}: ${f.rule}@${f.line}:${f.column} ${f.message}`;
    });
    expect(figures.missed).toEqual([]);
    expect(why).toEqual([]);
  });

  it.each(loadCorpus('bpy').map((s) => [s.name, s.code] as const))(
    'refuses bpy script %s, naming what is not in the language',
    (_n, code) => {
      const r = scanPython(code);
      expect(r.blocked).toBe(true);
      expect(r.findings.some((f) => /bpy/.test(f.message))).toBe(true);
    },
  );

  it.each(loadCorpus('inert').map((s) => [s.name, s.code] as const))('lets %s through: a string is only data', (_n, code) => {
    expect(scanPython(code).blocked).toBe(false);
  });
});
