// Test and bench support: the scanner's corpora and the figures measured on them. data/scanner/:
// benign (scene scripts in the language: must pass), evasion (escapes: must be refused), bpy (Blender
// scripts, outside the language: refused), inert (strings that spell blocked names: harmless, pass),
// exhaustion (in the language, stopped by the sandbox's limits).
// Shared by the corpus test and the benchmark so both report the same numbers the same way.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scanPython } from '../../electron/core/security/scanner.js';

export type CorpusKind = 'benign' | 'evasion' | 'bpy' | 'inert' | 'exhaustion';
export interface Sample {
  name: string;
  code: string;
}

export const CORPUS_DIR = fileURLToPath(new URL('../../data/scanner/', import.meta.url));

export function loadCorpus(kind: CorpusKind): Sample[] {
  const dir = `${CORPUS_DIR}${kind}/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((name) => ({ name, code: readFileSync(`${dir}${name}`, 'utf8') }));
}

export interface CorpusFigures {
  /** Evasion samples the scanner let through (recall misses). */
  missed: string[];
  /** Benign samples the scanner blocked (false positives). */
  falsePositives: string[];
  recallPct: number;
  falsePositivePct: number;
}

export function measureCorpus(benign = loadCorpus('benign'), evasion = loadCorpus('evasion')): CorpusFigures {
  const missed = evasion.filter((s) => !scanPython(s.code).blocked).map((s) => s.name);
  const falsePositives = benign.filter((s) => scanPython(s.code).blocked).map((s) => s.name);
  return {
    missed,
    falsePositives,
    recallPct: (100 * (evasion.length - missed.length)) / evasion.length,
    falsePositivePct: (100 * falsePositives.length) / benign.length,
  };
}
