// `npm run bench`: every benchmark, printed as one JSON line per figure, then ratios to the
// ceiling measured in this same run. `npm run bench -- wal pipeline` runs a subset.
import type { Figure } from './stats.js';

type Suite = { name: string; load: () => Promise<() => Promise<Figure[]>> };

const suites: Suite[] = [
  { name: 'ceiling', load: async () => (await import('./ceiling.js')).benchCeiling },
  { name: 'wal', load: async () => (await import('./wal.js')).benchWal },
  { name: 'startup', load: async () => (await import('./startup.js')).benchStartup },
  { name: 'transport', load: async () => (await import('./transport.js')).benchTransport },
  { name: 'pipeline', load: async () => (await import('./pipeline.js')).benchPipeline },
  { name: 'scanner', load: async () => (await import('./scanner.js')).benchScanner },
  { name: 'panel', load: async () => (await import('./panel.js')).benchPanel },
  { name: 'blender', load: async () => (await import('./blender.js')).benchBlender },
];

const wanted = process.argv.slice(2);
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
if (ceiling) {
  for (const f of figures.filter((x) => x.unit === 'mutations/s' || x.unit === 'msgs/s')) {
    if (f.name === 'ceiling_parse_validate_hash_wal') continue;
    console.log(JSON.stringify({ suite: 'ratio', name: `${f.name}_vs_ceiling`, value: Math.round((f.value / ceiling) * 1000) / 1000, unit: 'ratio' }));
  }
}
