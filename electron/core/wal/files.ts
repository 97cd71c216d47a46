// Names and directory bookkeeping of the WAL folder: segment files `wal-<firstSeq>.log`, snapshot
// files `snapshot-<seq>.json`, and the directory fsync that makes a create, rename or delete durable.
import { constants } from 'node:fs';
import { open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

const PAD = 16;
const SEGMENT_RE = /^wal-(\d{16})\.log$/;
const SNAPSHOT_RE = /^snapshot-(\d{16})\.json$/;
export const TMP_SUFFIX = '.tmp';

/**
 * Segments are opened for synchronised data writes where the platform has them (O_DSYNC: a write
 * returns once its bytes, and the size needed to read them back, are on stable storage, which is what
 * write + fdatasync gives). A flush is then one system call on the thread pool instead of two, and
 * one turn of the event loop fewer for every ack to wait for while the loop is busy. Where there is no
 * O_DSYNC this is 0, and the WAL calls `datasync` after each write.
 */
export const SEGMENT_DSYNC: number = constants.O_DSYNC ?? 0;

/** Opens a segment: `create` a new one (truncating), or `append` to the existing last one. */
export function openSegment(path: string, mode: 'create' | 'append'): Promise<FileHandle> {
  const flags = mode === 'create' ? constants.O_CREAT | constants.O_TRUNC | constants.O_WRONLY : constants.O_RDWR;
  return open(path, flags | SEGMENT_DSYNC, 0o666);
}

export const segmentName = (firstSeq: number) => `wal-${String(firstSeq).padStart(PAD, '0')}.log`;
export const snapshotName = (seq: number) => `snapshot-${String(seq).padStart(PAD, '0')}.json`;

export interface NamedFile {
  seq: number;
  name: string;
  path: string;
}

export interface WalDirListing {
  /** ascending by first sequence number */
  segments: NamedFile[];
  /** ascending by sequence number */
  snapshots: NamedFile[];
}

export async function listWalDir(dir: string): Promise<WalDirListing> {
  const segments: NamedFile[] = [];
  const snapshots: NamedFile[] = [];
  for (const name of await readdir(dir)) {
    const seg = SEGMENT_RE.exec(name);
    if (seg?.[1]) segments.push({ seq: Number(seg[1]), name, path: join(dir, name) });
    const snap = SNAPSHOT_RE.exec(name);
    if (snap?.[1]) snapshots.push({ seq: Number(snap[1]), name, path: join(dir, name) });
  }
  const bySeq = (a: NamedFile, b: NamedFile) => a.seq - b.seq;
  return { segments: segments.sort(bySeq), snapshots: snapshots.sort(bySeq) };
}

/** Leftovers of a snapshot write that crashed before its rename; never valid data. */
export async function removeTmpFiles(dir: string): Promise<number> {
  const tmp = (await readdir(dir)).filter((n) => n.endsWith(TMP_SUFFIX));
  await Promise.all(tmp.map((n) => rm(join(dir, n), { force: true })));
  return tmp.length;
}

/**
 * A whole file in one buffer with as few reads as the OS allows. fs/promises' readFile grows its
 * buffer in 512 KiB steps, one thread-pool round trip each: for a 64 MiB segment that is over a
 * hundred hops and most of a replay's wall time.
 */
export async function readWhole(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await fh.read(buf, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === size ? buf : buf.subarray(0, at);
  } finally {
    await fh.close();
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
