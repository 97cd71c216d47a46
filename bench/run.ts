// `npm run bench`: every benchmark, printed as one JSON line per figure, then ratios to the
// ceiling measured in this same run. `npm run bench -- wal pipeline` runs a subset.
import type { Figure } from './stats.js';

type Suite = { name: string; load: () => Promise<() => Promise<Figure[]>> };

const suites: Suite[] = [
  { name: 'ceiling', load: async () => (await import('./ceiling.js')).benchCeiling },
  { name: 'wal', load: async () => (await import('./wal.js')).benchWal },
  { name: 'audit', load: async () => (await import('./audit.js')).benchAudit },
  { name: 'startup', load: async () => (await import('./startup.js')).benchStartup },
  { name: 'transport', load: async () => (await import('./transport.js')).benchTransport },
  { name: 'blobs', load: async () => (await import('./blobs.js')).benchBlobs },
  { name: 'pipeline', load: async () => (await import('./pipeline.js')).benchPipeline },
  // the live-lane figures of the pipeline suite alone (for repeated runs)
  { name: 'live-lane', load: async () => () => import('./pipeline.js').then((m) => m.benchPipeline({ only: 'lane' })) },
  { name: 'flood', load: async () => (await import('./flood.js')).benchFlood },
  { name: 'large-snapshot', load: async () => (await import('./large-snapshot.js')).benchLargeSnapshot },
  { name: 'scanner', load: async () => (await import('./scanner.js')).benchScanner },
  { name: 'panel', load: async () => (await import('./panel.js')).benchPanel },
  { name: 'mcp', load: async () => (await import('./mcp.js')).benchMcp },
  { name: 'blender', load: async () => (await import('./blender.js')).benchBlender },
  { name: 'godot', load: async () => (await import('./godot.js')).benchGodot },
  { name: 'unity', load: async () => (await import('./unity.js')).benchUnity },
];

// Every rate is printed as a ratio to the ceiling measured in the same run, so a subset runs it too.
const asked = process.argv.slice(2);
const wanted = asked.length > 0 && !asked.includes('ceiling') ? ['ceiling', ...asked] : asked;
const figures: Figure[] = [];
for (const suite of suites.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
  try {
    const run = await suite.load();
    for (const f of await run()) {
      const fig = { suite: suite.name, ...f };
      figures.push(fig);
      console.log(JSON.stringify(fig));
    }
  } catch (e) {
    console.log(JSON.stringify({ suite: suite.name, error: (e as Error).message }));
    process.exitCode = 1;
  }
}

const ceiling = figures.find((f) => f.name === 'ceiling_parse_validate_hash_wal')?.value;
const RATES = new Set(['mutations/s', 'msgs/s', 'records/s']);
/** the live-streaming budget: one 60 Hz frame */
const FRAME_MS = 16;
for (const f of figures) {
  if (f.name === 'ceiling_parse_validate_hash_wal') continue;
  if (ceiling && RATES.has(f.unit)) ratio(`${f.name}_vs_ceiling`, f.value / ceiling);
  if (f.unit === 'ms' && /latency_p\d+$/.test(f.name)) ratio(`${f.name}_vs_60hz_frame`, f.value / FRAME_MS);
}

function ratio(name: string, value: number) {
  console.log(JSON.stringify({ suite: 'ratio', name, value: Math.round(value * 1000) / 1000, unit: 'ratio' }));
}
