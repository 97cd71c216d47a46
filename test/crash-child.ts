// A headless orchestrator in a child process for the kill -9 test: starts on the given data folder,
// issues adapter tokens for the test's simulators and prints one JSON line {port, tokens}. A third
// argument sets compactEvery (a small one makes the kill fall during snapshots and compactions too).
import pino from 'pino';
import { startOrchestrator } from '../electron/core/orchestrator.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-child.ts DATA_DIR [COMPACT_EVERY]');
const compactEvery = process.argv[3] ? Number(process.argv[3]) : undefined;
const orch = await startOrchestrator({
  dataDir,
  port: 0,
  logger: pino({ level: 'warn' }),
  staticDir: `${dataDir}/no-panel`,
  rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
  ...(compactEvery ? { config: { compactEvery } } : {}),
});
const tokens = { source: orch.tokens.issue('adapter', 'blender').token, target: orch.tokens.issue('adapter', 'unity').token };
console.log(JSON.stringify({ port: orch.port, pid: process.pid, tokens }));
