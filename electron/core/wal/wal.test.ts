import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VibeSyncError } from '../../../shared/protocol/errors.js';
import { eventually } from '../../../test/support/harness.js';
import { openWal, WalLockedError, type WalLog } from './index.js';

let dir: string;
const open: WalLog[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wal-test-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
  await rm(dir, { recursive: true, force: true });
});
async function reopen(opts?: { segmentBytes?: number }) {
  const r = await openWal(dir, opts);
  open.push(r.log);
  return r;
}

describe('WAL round trip', () => {
  it('gives back every record, in sequence order, after a reopen', async () => {
    const { log, replay } = await reopen();
    expect({ snapshot: replay.snapshot, count: replay.count, records: replay.records, truncatedBytes: replay.truncatedBytes }).toEqual({
      snapshot: null,
      count: 0,
      records: [],
      truncatedBytes: 0,
    });
    const sent = Array.from({ length: 50 }, (_, i) => ({ t: 'mutation', i, name: `obj-${i}`, v: [i / 3, -(i + 1)] }));
    const seqs = await Promise.all(sent.map((r) => log.append(r)));
    expect(seqs).toEqual(sent.map((_, i) => i + 1));
    expect(log.lastSeq).toBe(50);
    await log.close();

    const again = await reopen();
    expect(again.replay.records).toEqual(sent.map((record, i) => ({ seq: i + 1, record })));
    expect(again.replay.truncatedBytes).toBe(0);
    expect(again.log.lastSeq).toBe(50);
    expect(await again.log.append({ t: 'next' })).toBe(51);
  });

  it('appendMany resolves with the last sequence number and keeps the records together', async () => {
    const { log } = await reopen();
    await log.append({ t: 'one' });
    expect(await log.appendMany([{ t: 'a' }, { t: 'b' }, { t: 'c' }])).toBe(4);
    await log.close();
    const { replay } = await reopen();
    expect(replay.records.map((r) => [r.seq, r.record.t])).toEqual([
      [1, 'one'],
      [2, 'a'],
      [3, 'b'],
      [4, 'c'],
    ]);
  });

  it('appendMany of nothing resolves with the last durable seq and writes nothing', async () => {
    const { log } = await reopen();
    expect(await log.appendMany([])).toBe(0);
    const pending = log.append({ t: 'a' });
    expect(await log.appendMany([])).toBe(1);
    expect(await pending).toBe(1);
    expect(log.stats()).toMatchObject({ records: 1, flushes: 1 });
  });

  it('spreads records over several segments and reads them back across the boundaries', async () => {
    const { log } = await reopen({ segmentBytes: 256 });
    for (let i = 0; i < 40; i++) await log.append({ t: 'm', i });
    expect(log.stats().segments).toBeGreaterThan(3);
    await log.close();
    const files = (await readdir(dir)).filter((f) => f.startsWith('wal-'));
    expect(files.length).toBe(log.stats().segments);
    const { replay } = await reopen({ segmentBytes: 256 });
    expect(replay.records.map((r) => r.record.i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('rejects bad input with a typed error and uses no sequence number', async () => {
    const { log } = await reopen();
    const cyclic: Record<string, unknown> = { t: 'x' };
    cyclic.self = cyclic;
    await expect(log.append({ t: 'x', big: 1n })).rejects.toBeInstanceOf(VibeSyncError);
    await expect(log.append(cyclic as never)).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION' });
    await expect(log.append({ nope: 1 } as never)).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION' });
    await expect(log.appendMany([{ t: 'ok' }, null as never])).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION' });
    expect(log.lastSeq).toBe(0);
    expect(await log.append({ t: 'ok' })).toBe(1);
    await log.close();
    await expect(log.append({ t: 'late' })).rejects.toMatchObject({ code: 'INTERNAL' });
    const { replay } = await reopen();
    expect(replay.records).toEqual([{ seq: 1, record: { t: 'ok' } }]);
  });
});

describe('WAL group commit', () => {
  it('makes many concurrent appends durable with far fewer flushes than records', async () => {
    const { log } = await reopen();
    const n = 5000;
    // A steady stream: new appends keep arriving while earlier flushes are in flight.
    const acks: Array<Promise<number>> = [];
    for (let i = 0; i < n; i++) {
      acks.push(log.append({ t: 'm', i }));
      if (i % 250 === 0) await new Promise((r) => setImmediate(r));
    }
    await Promise.all(acks);
    const s = log.stats();
    expect(s.records).toBe(n);
    expect(s.flushes).toBeLessThan(n / 10);
    expect(s.maxBatch).toBeGreaterThan(1);
  });

  it('flushes a lone append on its own without waiting for company', async () => {
    const { log } = await reopen();
    expect(await log.append({ t: 'solo' })).toBe(1);
    expect(log.stats()).toMatchObject({ records: 1, flushes: 1 });
  });
});

describe('WAL snapshots', () => {
  it('stores the snapshot, drops covered segments and older snapshots, and replays only what follows', async () => {
    const { log } = await reopen({ segmentBytes: 200 });
    for (let i = 1; i <= 30; i++) await log.append({ t: 'm', i });
    await log.snapshot({ scene: 'at-10' }, 10);
    await log.snapshot({ scene: 'at-30' }, 30);
    await log.append({ t: 'm', i: 31 });
    await log.append({ t: 'm', i: 32 });

    const files = (await readdir(dir)).sort();
    expect(files.filter((f) => f.startsWith('snapshot-'))).toEqual(['snapshot-0000000000000030.json']);
    // every segment holding only records <= 30 is gone; the live one starts right after the snapshot
    expect(files.filter((f) => f.startsWith('wal-'))).toEqual(['wal-0000000000000031.log']);
    await log.close();

    const { replay, log: again } = await reopen({ segmentBytes: 200 });
    expect(replay.snapshot).toEqual({ seq: 30, state: { scene: 'at-30' } });
    expect(replay.records).toEqual([
      { seq: 31, record: { t: 'm', i: 31 } },
      { seq: 32, record: { t: 'm', i: 32 } },
    ]);
    expect(await again.append({ t: 'm', i: 33 })).toBe(33);
  });

  it('finishes on open a compaction a crash interrupted: older snapshots and covered segments go, replay is unchanged', async () => {
    const { log } = await reopen({ segmentBytes: 200 });
    for (let i = 1; i <= 30; i++) await log.append({ t: 'm', i });
    await log.snapshot({ scene: 'at-10' }, 10);
    // what is on disk just before the next compaction deletes anything
    const before = new Map<string, Buffer>();
    for (const f of await readdir(dir)) if (f !== 'wal.lock') before.set(f, await readFile(join(dir, f)));
    await log.snapshot({ scene: 'at-30' }, 30);
    await log.append({ t: 'm', i: 31 });
    await log.close();
    // kill -9 after the new snapshot's rename and the segment roll, before any deletion: the old files are all still there
    for (const [f, bytes] of before) if (!f.startsWith('wal-0000000000000031')) await writeFile(join(dir, f), bytes);
    expect((await readdir(dir)).filter((f) => f.startsWith('snapshot-'))).toHaveLength(2);

    const { replay, log: again } = await reopen({ segmentBytes: 200 });
    expect(replay.snapshot).toEqual({ seq: 30, state: { scene: 'at-30' } });
    expect(replay.records).toEqual([{ seq: 31, record: { t: 'm', i: 31 } }]);
    const files = (await readdir(dir)).sort();
    expect(files.filter((f) => f.startsWith('snapshot-'))).toEqual(['snapshot-0000000000000030.json']);
    expect(files.filter((f) => f.startsWith('wal-'))).toEqual(['wal-0000000000000031.log']);
    expect(await again.append({ t: 'm', i: 32 })).toBe(32);
  });

  it('keeps segments that still hold records after an older snapshot seq', async () => {
    const { log } = await reopen();
    for (let i = 1; i <= 20; i++) await log.append({ t: 'm', i });
    await log.snapshot({ upTo: 12 }, 12);
    await log.close();
    const { replay } = await reopen();
    expect(replay.snapshot?.seq).toBe(12);
    expect(replay.records.map((r) => r.seq)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it('waits for records appended just before it and takes a snapshot while appends continue', async () => {
    const { log } = await reopen({ segmentBytes: 300 });
    const before = Array.from({ length: 20 }, (_, i) => log.append({ t: 'm', i: i + 1 }));
    const snap = log.snapshot({ upTo: 20 }, 20);
    const after = Array.from({ length: 5 }, (_, i) => log.append({ t: 'm', i: 21 + i }));
    await Promise.all([...before, snap, ...after]);
    await log.close();
    const { replay } = await reopen();
    expect(replay.snapshot).toEqual({ seq: 20, state: { upTo: 20 } });
    expect(replay.records.map((r) => r.record.i)).toEqual([21, 22, 23, 24, 25]);
  });

  it('carries a checksum in the file and refuses a snapshot seq beyond the log', async () => {
    const { log } = await reopen();
    await log.append({ t: 'm' });
    await log.snapshot({ a: 1 }, 1);
    const text = await readFile(join(dir, 'snapshot-0000000000000001.json'), 'utf8');
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ seq: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await expect(log.snapshot({}, 5)).rejects.toBeInstanceOf(VibeSyncError);
    await expect(log.snapshot(undefined, 1)).rejects.toMatchObject({ code: 'SCHEMA_VIOLATION' });
  });
});

describe('WAL single writer', () => {
  it('refuses a second open of a directory a live process holds, and allows it after close', async () => {
    const { log } = await reopen();
    await log.append({ t: 'a' });
    const err = await openWal(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WalLockedError);
    expect(err).toMatchObject({ code: 'WAL_LOCKED', pid: process.pid });
    await log.close();
    const { replay } = await reopen();
    expect(replay.records).toEqual([{ seq: 1, record: { t: 'a' } }]);
  });

  it('takes over a lock left by a process that died', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(join(dir, 'wal.lock'), String(dead));
    const { log } = await reopen();
    expect(await log.append({ t: 'a' })).toBe(1);
  });

  it("takes over a lock naming a pid that is not its holder any more: this process's own pid (a container's pid 1 after a restart), a zombie not yet reaped, a reused pid", async () => {
    await writeFile(join(dir, 'wal.lock'), String(process.pid));
    await (await reopen()).log.close();

    // killed, and not reaped: its parent (a `sleep` that never waits) keeps it a zombie, so kill(pid, 0) still succeeds
    const parent = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 60']);
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(String(d)))));
      process.kill(zombie, 'SIGKILL');
      await eventually(() => readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]!.startsWith('Z'), 'zombie');
      await writeFile(join(dir, 'wal.lock'), String(zombie));
      await (await reopen()).log.close();
    } finally {
      parent.kill('SIGKILL');
    }

    // a live process, but not the one that took the lock (its recorded start time differs)
    const other = spawn('sleep', ['30']);
    try {
      await writeFile(join(dir, 'wal.lock'), `${other.pid} 1`);
      await (await reopen()).log.close();
      // the same process with its own start time holds it: refused
      const started = readFileSync(`/proc/${other.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19];
      await writeFile(join(dir, 'wal.lock'), `${other.pid} ${started}`);
      await expect(openWal(dir)).rejects.toMatchObject({ code: 'WAL_LOCKED', pid: other.pid });
    } finally {
      other.kill('SIGKILL');
    }
  });
});
