// Scanner figures: recall on the evasion corpus, false-positive rate on the benign corpus, and
// throughput in scripts/s over both corpora, and the time to scan one script of the largest size the
// protocol admits (medians of 3 runs). `npm run bench -- scanner`.
import { LIMITS } from '../shared/protocol/index.js';
import { loadCorpus, measureCorpus } from '../test/support/scanner-corpus.js';
import { scanPython } from '../electron/core/security/scanner.js';
import { medianOf, round, type Figure } from './stats.js';

const MIN_RUN_MS = 1_000;

export async function benchScanner(): Promise<Figure[]> {
  const benign = loadCorpus('benign');
  const evasion = loadCorpus('evasion');
  const figures = measureCorpus(benign, evasion);
  const scripts = [...benign, ...evasion].map((s) => s.code);
  for (const code of scripts) scanPython(code); // warm the parser and the JIT
  const perSecond = await medianOf(3, () => {
    let scanned = 0;
    const start = performance.now();
    while (performance.now() - start < MIN_RUN_MS)
      for (const code of scripts) {
        scanPython(code);
        scanned++;
      }
    return scanned / ((performance.now() - start) / 1000);
  });
  // The largest script the protocol admits, made of real scene code: how long one scan holds the event loop.
  let big = '';
  while (big.length < LIMITS.maxScriptBytes - 4096) big += `${benign[big.length % benign.length]!.code}\n`;
  const bigMs = await medianOf(3, () => {
    const start = performance.now();
    for (let i = 0; i < 5; i++) scanPython(big);
    return (performance.now() - start) / 5;
  });
  return [
    { name: 'scanner_recall', value: round(figures.recallPct, 2), unit: '%', samples: evasion.length, missed: figures.missed },
    {
      name: 'scanner_false_positive_rate',
      value: round(figures.falsePositivePct, 2),
      unit: '%',
      samples: benign.length,
      blocked: figures.falsePositives,
    },
    { name: 'scanner_scripts_per_s', value: Math.round(perSecond), unit: 'scripts/s', corpusScripts: scripts.length },
    { name: 'scanner_largest_script_ms', value: round(bigMs, 2), unit: 'ms', bytes: Buffer.byteLength(big) },
  ];
}
