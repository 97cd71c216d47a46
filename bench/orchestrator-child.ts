// A headless orchestrator in its own process, so the benchmark can read its CPU time apart from
// the simulators'. Prints one JSON line {port, pid, tokens} once listening; exits on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startOrchestrator } from '../electron/core/orchestrator.js';

const dataDir = mkdtempSync(join(tmpdir(), 'vibesync-bench-'));
const orch = await startOrchestrator({
  dataDir,
  port: 0,
  logger: pino({ level: 'warn' }),
  // The benchmark measures capacity; the per-connection rate limit is a policy, lifted here.
  rateLimit: { perSecond: 10_000_000, burst: 10_000_000 },
  // VIBESYNC_BENCH_CONFIG='{"liveSettleMs":1000}' tries other brain settings.
  config: JSON.parse(process.env.VIBESYNC_BENCH_CONFIG ?? '{}') as Record<string, number>,
});
const tokens = {
  source: orch.tokens.issue('adapter', 'bench-source').token,
  target: orch.tokens.issue('adapter', 'bench-target').token,
};
console.log(JSON.stringify({ port: orch.port, pid: process.pid, tokens }));
process.on('SIGTERM', () => {
  void orch.close().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
