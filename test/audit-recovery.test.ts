// The audit log after a crash: an entry whose WAL record was durable but whose own line never
// reached the disk is written again on replay (once, chained after the rest); a torn line is cut;
// a data folder from before the audit log starts it from the snapshot's window.
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { pino } from 'pino';
import { startOrchestrator } from '../electron/core/orchestrator.js';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { verifyAuditDir } from '../electron/core/audit/index.js';
import { startHarness, type Harness } from './support/harness.js';

const lead = { name: 'lena', role: 'lead' } as const;
const viewer = { name: 'vic', role: 'viewer' } as const;
let h: Harness | null = null;
afterEach(async () => {
  await h?.stopAll();
  h = null;
});

const segments = (dir: string) =>
  readdirSync(join(dir, 'audit'))
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .map((n) => join(dir, 'audit', n));

it('restores an entry the crash kept out of the audit log, from the WAL, once', async () => {
  h = await startHarness();
  await h.orch.control.call(lead, 'setTrustThreshold', { value: 70, reason: 'first change' });
  await h.orch.control.call(lead, 'setTrustThreshold', { value: 90, reason: 'second change' });
  await h.orch.close();
  // The crash: the last entry's line never reached the disk; zero fill (power loss) is left instead.
  const file = segments(h.dir).at(-1)!;
  const lines = readFileSync(file, 'utf8').split('\n');
  const keep = lines.slice(0, -2).join('\n') + '\n';
  truncateSync(file, Buffer.byteLength(keep) + 10);
  expect(statSync(file).size).toBe(Buffer.byteLength(keep) + 10);

  const again = await h.restart();
  const { entries } = await again.control.call(viewer, 'queryAudit', { kinds: ['trust_threshold'], limit: 10 });
  expect(entries.map((e) => e.reason)).toEqual(['second change', 'first change']);
  await again.close();
  expect(verifyAuditDir(join(h.dir, 'audit'))).toMatchObject({ ok: true, count: 2 });

  // A second restart finds nothing missing: no duplicate.
  const third = await h.restart();
  expect((await third.control.call(viewer, 'queryAudit', { kinds: ['trust_threshold'], limit: 10 })).entries).toHaveLength(2);
});

it('starts the audit log from the snapshot window of a data folder that had none', async () => {
  h = await startHarness({ config: { compactEvery: 2 } });
  for (const v of [10, 20, 30, 40, 50]) await h.orch.control.call(lead, 'setTrustThreshold', { value: v, reason: `set ${v}` });
  await h.orch.brain.whenDurable();
  await h.orch.close();
  rmSync(join(h.dir, 'audit'), { recursive: true });

  const again = await h.restart({ config: { compactEvery: 2 } });
  const { entries } = await again.control.call(viewer, 'queryAudit', { kinds: ['trust_threshold'], limit: 10 });
  expect(entries.map((e) => e.reason)).toEqual(['set 50', 'set 40', 'set 30', 'set 20', 'set 10']);
  expect(entries.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
});

it('refuses a bad audit query with a typed error and records nothing', async () => {
  h = await startHarness();
  const before = h.orch.brain.audit!.lastSeq;
  for (const input of [
    { from: 10, to: 5, limit: 5 },
    { limit: 0 },
    { before: 0, limit: 5 },
    { actor: '', limit: 5 },
    { limit: 5, page: 2 },
  ])
    await expect(h.orch.control.call(viewer, 'queryAudit', input)).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION' });
  await expect(h.orch.control.call(viewer, 'queryAudit', { from: 10, to: 5, limit: 5 })).rejects.toThrow(/from must not be after to/);
  expect(h.orch.brain.audit!.lastSeq).toBe(before);
});

it('a second orchestrator on the same data folder (refused: WAL_LOCKED) never cuts a line the first is writing', async () => {
  h = await startHarness();
  await h.orch.control.call(lead, 'setTrustThreshold', { value: 60, reason: 'before the second start' });
  const file = segments(h.dir).at(-1)!;
  const whole = statSync(file).size;
  appendFileSync(file, '{"seq":2,"wal":'); // the first orchestrator, mid-write
  await expect(
    startOrchestrator({ dataDir: h.dir, port: 0, logger: pino({ level: 'silent' }), staticDir: join(h.dir, 'no-panel') }),
  ).rejects.toMatchObject({ code: 'WAL_LOCKED' });
  expect(statSync(file).size).toBe(whole + '{"seq":2,"wal":'.length);
  truncateSync(file, whole); // the first one's write, as if it completed
});
