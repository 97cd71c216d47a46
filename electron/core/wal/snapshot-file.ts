// One snapshot on disk: a header line {format, seq, bytes, sha256} followed by the state as JSON.
// Written to a tmp file, fsynced, renamed into place and the directory fsynced, so a reader sees
// either the old snapshot or the whole new one; the checksum catches later damage.
import { createHash } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { WalCorruptionError } from './errors.js';
import { fsyncDir, readWhole, snapshotName, TMP_SUFFIX } from './files.js';

const FORMAT = 'vibesync-wal-snapshot/1';

interface Header {
  format: string;
  seq: number;
  bytes: number;
  sha256: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Writes the snapshot durably and returns its path. `json` is the already-serialised state. */
export async function writeSnapshot(dir: string, seq: number, json: string): Promise<string> {
  const body = Buffer.from(json, 'utf8');
  const header: Header = { format: FORMAT, seq, bytes: body.length, sha256: sha256(body) };
  const path = join(dir, snapshotName(seq));
  const tmp = path + TMP_SUFFIX;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(Buffer.concat([Buffer.from(JSON.stringify(header) + '\n', 'utf8'), body]));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await fsyncDir(dir);
  return path;
}

export async function readSnapshot(path: string, expectedSeq: number): Promise<{ seq: number; state: unknown }> {
  const buf = await readWhole(path);
  const nl = buf.indexOf(0x0a);
  const bad = (offset: number, reason: string) => new WalCorruptionError(path, offset, reason);
  if (nl < 0) throw bad(0, 'snapshot header missing');
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 0, nl)) as Header;
  } catch {
    throw bad(0, 'snapshot header is not JSON');
  }
  if (header?.format !== FORMAT) throw bad(0, 'unknown snapshot format');
  if (header.seq !== expectedSeq) throw bad(0, `snapshot header says seq ${header.seq}, file name says ${expectedSeq}`);
  const body = buf.subarray(nl + 1);
  if (body.length !== header.bytes) throw bad(nl + 1, `snapshot body is ${body.length} bytes, header says ${header.bytes}`);
  if (sha256(body) !== header.sha256) throw bad(nl + 1, 'snapshot checksum mismatch');
  return { seq: header.seq, state: JSON.parse(body.toString('utf8')) as unknown };
}
