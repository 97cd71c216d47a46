import { readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMERGENCY_ACK } from '../../../shared/ipc/index.js';
import type { DurableLog } from '../wal/types.js';
import { LOCK_NAME, WalLockedError, assertWalDirFree } from '../wal/lock.js';
import { panicRecord } from '../../../test/support/audit-burst.js';
import { encodeFrame } from '../wal/frame.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
/** Logs a simulated crash walked away from: closed after the test, so no descriptor waits for the garbage collector. */
const abandoned: DurableLog[] = [];
afterEach(async () => {
  await h?.stopAll();
  for (const log of abandoned.splice(0)) await log.close().catch(() => {});
});

const reviewer = { name: 'rita', role: 'reviewer' as const };
const lead = { name: 'lena', role: 'lead' as const };
const viewer = { name: 'vic', role: 'viewer' as const };
const deadLog: DurableLog = {
  append: () => new Promise(() => {}),
  appendMany: () => new Promise(() => {}),
  snapshot: async () => {},
  lastSeq: 0,
  close: async () => {},
};

/**
 * A crash: the old brain writes nothing more (its log goes dead, the WAL file is never closed),
 * its sockets drop, and the lock a dead process would leave behind is taken over by the new one.
 */
async function crash() {
  const old = h.orch;
  abandoned.push(old.brain.useLog(deadLog));
  for (const s of h.sims) s.crash();
  h.sims.length = 0;
  await old.close();
  rmSync(join(h.dir, 'wal', LOCK_NAME), { force: true });
}

async function crashAndRestart() {
  await crash();
  return h.restart();
}

/** The WAL's one segment file, after a crash. */
function segmentFile(): string {
  const seg = readdirSync(join(h.dir, 'wal')).find((f) => f.startsWith('wal-'));
  expect(seg).toBeDefined();
  return join(h.dir, 'wal', seg!);
}

describe('WAL replay', () => {
  it.each([
    { label: 'records only', compactEvery: 100_000 },
    { label: 'snapshot + records (compaction every 7 records)', compactEvery: 7 },
  ])('Orchestrator Crash: WAL replay on restart rebuilds the same state: $label', async ({ compactEvery }) => {
    h = await startHarness({ config: { compactEvery } });
    const unity = await h.sim({ name: 'unity', roles: ['target'] });
    const godot = await h.sim({ name: 'godot', roles: ['target'], scenario: 'hash-mismatch' });
    const blender = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 12 });
    await unity.waitFor('resync');
    await godot.waitFor('resync');
    blender.sendSnapshot = () => ''; // leave the DIRTY branch waiting for its re-snapshot
    for (let i = 0; i < 3; i++) blender.streamFrame();
    await unity.until(() => unity.sceneHash === blender.sceneHash, 'unity caught up with blender');
    blender.send('mutation', {
      mutation: { mid: 'g1', targets: ['godot'], op: 'set_transform', objectId: 'obj_5', transform: { position: [0, 5, 0] } },
    });
    await eventually(() => h.orch.brain.state.ids.state('object', 'obj_5') === 'DIRTY', 'obj_5 DIRTY');

    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    const edit = (id: string, x: number) =>
      agent.proposeEdit({ mid: `e${x}`, targets: ['unity'], op: 'set_transform', objectId: id, transform: { position: [x, 0, 0] } });
    const [p1, p2, p3] = [edit('obj_1', 1), edit('obj_2', 2), edit('obj_3', 3)];
    await agent.until(() => [p1, p2, p3].every((p) => agent.proposals.get(p!)?.status === 'pending'), 'three pending');
    await h.orch.control.call(reviewer, 'approve', { pids: [p1!] });
    await h.orch.control.call(reviewer, 'reject', { pids: [p2!], reason: 'not this one' });
    await agent.until(() => agent.proposals.get(p1!)?.status === 'applied', 'p1 applied');
    await h.orch.control.call(lead, 'setTrustThreshold', { value: 90, reason: 'stricter for the demo' });
    const bad = await h.sim({ name: 'bad', roles: ['target'], scenario: 'malformed' });
    await bad.until(() => bad.closed !== null, 'bad closed');
    await eventually(() => h.orch.brain.mode === 'PANIC', 'PANIC');
    await eventually(() => [...h.orch.brain.sessions.values()].every((s) => !s.inflight), 'no transaction in flight');
    await h.orch.brain.whenDurable();

    const before = h.orch.brain.exportState();
    expect(before.proposals.map(([pid]) => pid)).toEqual([p3]);
    expect(before.panic).toMatchObject({ failure: 'Contract Violation', engine: 'bad' });
    const orch = await crashAndRestart();
    expect(orch.brain.exportState()).toEqual(before);
    const view = orch.control.state(viewer);
    expect(view.orchestrator.state).toBe('PANIC');
    expect(view.orchestrator.walRecordsReplayed).toBeGreaterThan(0);
    if (compactEvery < 100) expect(view.orchestrator.walRecordsReplayed).toBeLessThan(7);
    expect(view.pending.map((p) => p.pid)).toEqual([p3]);
    expect(view.objects.notClean.map((o) => [o.id, o.state]).sort()).toEqual([
      ['obj_3', 'PENDING'],
      ['obj_5', 'DIRTY'],
    ]);
  });

  it('emergency unlock after a WAL failure at run time: the failed log is closed, and the fresh one keeps its lock', async () => {
    h = await startHarness();
    await h.orch.control.call(lead, 'setTrustThreshold', { value: 30, reason: 'a record in the first log' });
    const walFds = () =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const target = readlinkSync(join('/proc/self/fd', fd));
          return target.startsWith(h.dir) && target.endsWith('.log') ? [target] : [];
        } catch {
          return [];
        }
      });
    expect(walFds()).toHaveLength(1);
    // What the WAL writer records when a write fails (disk full): the orchestrator is in PANIC.
    await h.orch.brain.write([panicRecord(h.orch.brain, 'disk full')]);
    // Held here, so only an explicit close can free its descriptor (not the garbage collector).
    const failed = h.orch.brain.log;
    await h.orch.control.call(lead, 'emergencyUnlock', { acknowledge: EMERGENCY_ACK, reason: 'disk cleaned' });
    expect(h.orch.brain.log).not.toBe(failed);
    const aside = readdirSync(h.dir).find((f) => f.startsWith('wal.corrupt-'))!;
    // The set-aside log's segment is no longer open; only the fresh log's is.
    await eventually(() => walFds().every((f) => !f.includes(aside)), 'the set-aside segment closed');
    expect(walFds()).toEqual([expect.stringContaining(join(h.dir, 'wal', 'wal-'))]);
    // The fresh log's lock survived the old one's release: a second opening of the folder is refused.
    expect(readdirSync(join(h.dir, 'wal'))).toContain(LOCK_NAME);
    expect(() => assertWalDirFree(join(h.dir, 'wal'))).toThrow(WalLockedError);
    await h.orch.control.call(lead, 'setTrustThreshold', { value: 35, reason: 'in the fresh log' });
    expect(h.orch.control.state(viewer).orchestrator).toMatchObject({ state: 'RUNNING', trustThreshold: 35 });
  });

  it('Orchestrator Crash: an unreadable WAL starts the brain in PANIC so a person can see it', async () => {
    h = await startHarness();
    await h.sim({ name: 'blender', roles: ['source'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene adopted');
    for (const value of [10, 20, 30])
      await h.orch.control.call(lead, 'setTrustThreshold', { value, reason: 'more records after the first' });
    await h.orch.brain.whenDurable();
    await crash();
    const file = segmentFile();
    const bytes = readFileSync(file);
    bytes[40] = bytes[40]! ^ 0xff; // a flipped byte inside the first record (the scene), with intact records after it: not a torn tail
    writeFileSync(file, bytes);
    const orch = await h.restart();
    const view = orch.control.state(viewer);
    expect(view.orchestrator.state).toBe('PANIC');
    expect(view.orchestrator.panic).toMatchObject({ failure: 'Orchestrator Crash', engine: null });
    expect(orch.healthz()).toMatchObject({ status: 'panic' });
  });

  it('Orchestrator Crash: a record that passes its CRC but is not a record starts in PANIC with nothing half-replayed', async () => {
    h = await startHarness();
    await h.sim({ name: 'blender', roles: ['source'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'scene adopted');
    await h.orch.control.call(lead, 'setTrustThreshold', { value: 40, reason: 'a record before the bad one' });
    await h.orch.brain.whenDurable();
    const lastSeq = h.orch.brain.log.lastSeq;
    await crash();
    const file = segmentFile();
    // Sealed correctly (length, CRC, next sequence number, commit bit): only its meaning is wrong.
    writeFileSync(file, Buffer.concat([readFileSync(file), encodeFrame(lastSeq + 1, '["not", "a record"]', false)]));
    const orch = await h.restart();
    const view = orch.control.state(viewer);
    expect(view.orchestrator.panic).toMatchObject({ failure: 'Orchestrator Crash', engine: null });
    expect(view.orchestrator.panic?.cause).toContain('not a WAL record');
    expect(orch.brain.state.sceneAdopted).toBe(false);
    expect(view.orchestrator.trustThreshold).not.toBe(40);
    // Nothing is appended after the damage, and the lead's way out works: the damaged log is
    // moved aside whole and a fresh one takes the next writes.
    const damaged = readFileSync(file);
    await expect(orch.control.call(lead, 'setTrustThreshold', { value: 55, reason: 'while in PANIC' })).rejects.toThrow();
    expect(readFileSync(file).equals(damaged)).toBe(true);
    await orch.control.call(lead, 'emergencyUnlock', { acknowledge: EMERGENCY_ACK, reason: 'WAL inspected by hand' });
    const aside = readdirSync(h.dir).find((f) => f.startsWith('wal.corrupt-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(h.dir, aside!, basename(file))).equals(damaged)).toBe(true);
    await orch.control.call(lead, 'setTrustThreshold', { value: 55, reason: 'after the unlock' });
    expect(orch.control.state(viewer).orchestrator).toMatchObject({ state: 'RUNNING', trustThreshold: 55 });
  });
});
