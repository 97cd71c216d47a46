// Scanner figures: recall on the evasion corpus, false-positive rate on the benign corpus, and
// throughput in scripts/s over both corpora, and the time to scan one script of the largest size the
// protocol admits (medians of 3 runs); then the sandbox: its cold start (Pyodide in a fresh worker)
// and the time of one warm run of each benign script, policy check included. `npm run bench -- scanner`.
import { LIMITS } from '../shared/protocol/index.js';
import { loadCorpus, measureCorpus } from '../test/support/scanner-corpus.js';
import { scanPython } from '../electron/core/security/scanner.js';
import { ScriptSandbox } from '../electron/core/scripts/sandbox.js';
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
  const sandbox = await benchSandbox(benign.map((s) => s.code));
  return [
    ...sandbox,
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

/** A scene like the benign scripts expect: a few named objects and materials. */
function benchScene() {
  const obj = (id: string, name: string) => ({
    id,
    name,
    type: 'mesh' as const,
    parent: null,
    transform: {
      position: [0, 0, 0] as [number, number, number],
      rotation: [0, 0, 0, 1] as [number, number, number, number],
      scale: [1, 1, 1] as [number, number, number],
    },
    mesh: null,
    materials: [],
  });
  const names = ['cube', 'sign', 'table', 'left-wing', 'chair-1', 'chair-2'];
  return {
    objects: [...names.map((n) => obj(n, n)), ...Array.from({ length: 100 }, (_, i) => obj(`obj_${i}`, `Object ${i}`))],
    materials: [
      { id: 'm1', name: 'Wood', baseColor: [1, 1, 1, 1] as [number, number, number, number], metallic: 0, roughness: 0.5, textures: [] },
    ],
  };
}

async function benchSandbox(scripts: string[]): Promise<Figure[]> {
  const scene = benchScene();
  const cold = await medianOf(3, async () => {
    const sb = new ScriptSandbox();
    const start = performance.now();
    await sb.warm();
    const ms = performance.now() - start;
    await sb.close();
    return ms;
  });
  const sb = new ScriptSandbox();
  try {
    await sb.warm();
    for (const code of scripts) await sb.run(code, scene); // warm the interpreter's caches
    const runs: number[] = [];
    let failed = 0;
    for (let i = 0; i < 3; i++)
      for (const code of scripts) {
        const start = performance.now();
        const r = await sb.run(code, scene);
        runs.push(performance.now() - start);
        if (!r.ok) failed++;
      }
    runs.sort((a, b) => a - b);
    const p = (q: number) => runs[Math.min(runs.length - 1, Math.floor(q * runs.length))]!;
    return [
      { name: 'sandbox_cold_start_ms', value: round(cold, 0), unit: 'ms' },
      { name: 'sandbox_run_p50_ms', value: round(p(0.5), 2), unit: 'ms', scripts: scripts.length, objects: scene.objects.length, failed },
      { name: 'sandbox_run_p95_ms', value: round(p(0.95), 2), unit: 'ms' },
    ];
  } finally {
    await sb.close();
  }
}
