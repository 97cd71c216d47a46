// Disk failures, injected at the OS boundary (FileHandle methods), not inside the WAL.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { SEGMENT_DSYNC } from './files.js';
import { openWal, WalWriteError } from './index.js';

let dir: string;
let fileHandleProto: { datasync: () => Promise<void>; sync: () => Promise<void>; write: () => Promise<unknown> };
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wal-fail-'));
  const fh = await open(join(dir, 'probe'), 'w');
  fileHandleProto = Object.getPrototypeOf(fh);
  await fh.close();
  await rm(join(dir, 'probe'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

it('a failed synchronised write (O_DSYNC; write + fdatasync where there is none) fails the waiting appends and every later one: the log is never trusted again', async () => {
  const { log } = await openWal(dir);
  expect(await log.append({ t: 'fine' })).toBe(1);
  // with O_DSYNC the write is the commit; without it, the fdatasync after it
  vi.spyOn(fileHandleProto, SEGMENT_DSYNC ? 'write' : 'datasync').mockRejectedValueOnce(
    Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }),
  );
  const waiting = [log.append({ t: 'x' }), log.append({ t: 'y' })];
  for (const p of waiting) await expect(p).rejects.toBeInstanceOf(WalWriteError);
  await expect(log.append({ t: 'later' })).rejects.toBeInstanceOf(WalWriteError);
  await expect(log.snapshot({}, 1)).rejects.toBeInstanceOf(WalWriteError);
  await log.close();
  const { log: again, replay } = await openWal(dir);
  expect(replay.records[0]).toEqual({ seq: 1, record: { t: 'fine' } });
  await again.close();
});

it('segments are written with O_DSYNC where the platform has it: the kernel reports the flag on the open segment', async () => {
  if (!SEGMENT_DSYNC) return; // no O_DSYNC here: write + fdatasync, covered above
  const { log } = await openWal(dir);
  await log.append({ t: 'a' });
  const segment = (await readdir(dir)).find((f) => f.startsWith('wal-'))!;
  const fds = readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === join(dir, segment);
    } catch {
      return false;
    }
  });
  expect(fds).toHaveLength(1);
  const flags = Number.parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${fds[0]}`, 'utf8'))![1]!, 8);
  expect(flags & SEGMENT_DSYNC).toBe(SEGMENT_DSYNC);
  await log.close();
});

it('a failed snapshot write fails only that call; appends go on and no half snapshot is left', async () => {
  const { log } = await openWal(dir);
  await log.append({ t: 'a' });
  vi.spyOn(fileHandleProto, 'sync').mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space'), { code: 'ENOSPC' }));
  await expect(log.snapshot({ s: 1 }, 1)).rejects.toMatchObject({ code: 'ENOSPC' });
  expect(await log.append({ t: 'b' })).toBe(2);
  await log.close();
  const { log: again, replay } = await openWal(dir);
  expect(replay.snapshot).toBeNull();
  expect(replay.records.map((r) => r.record.t)).toEqual(['a', 'b']);
  expect((await readdir(dir)).filter((f) => f.startsWith('snapshot-'))).toEqual([]);
  await again.close();
});

it('appends are acknowledged while a snapshot file waits for its fsync; replay skips what the snapshot covers', async () => {
  const { log } = await openWal(dir);
  await log.append({ t: 'a' });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const sync = fileHandleProto.sync;
  // the snapshot file's fsync is the first `sync` (appends use fdatasync): hold it
  vi.spyOn(fileHandleProto, 'sync').mockImplementationOnce(function (this: unknown) {
    return gate.then(() => sync.call(this));
  });
  let snapped = false;
  const snap = log.snapshot({ s: 1 }, 1).then(() => void (snapped = true));
  expect(await log.append({ t: 'b' })).toBe(2);
  expect(snapped).toBe(false);
  release();
  await snap;
  expect(await log.append({ t: 'c' })).toBe(3);
  await log.close();
  const { log: again, replay } = await openWal(dir);
  expect(replay.snapshot).toEqual({ seq: 1, state: { s: 1 } });
  expect(replay.records.map((r) => r.record.t)).toEqual(['b', 'c']);
  await again.close();
});
