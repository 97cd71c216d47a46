import fc from 'fast-check';
import { mkdtemp, readdir, readFile, rm, stat, truncate, unlink, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEADER_BYTES } from './frame.js';
import { openWal, WalCorruptionError, type WalRecord } from './index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wal-recovery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const frameBytes = (r: WalRecord) => HEADER_BYTES + Buffer.byteLength(JSON.stringify(r));
const flip = (buf: Buffer, at: number, mask: number) => {
  buf.writeUInt8(buf.readUInt8(at) ^ mask, at);
};
const normalise = (r: WalRecord) => JSON.parse(JSON.stringify(r)) as WalRecord;

async function segmentFiles(d: string) {
  return (await readdir(d))
    .filter((f) => f.startsWith('wal-'))
    .sort()
    .map((f) => ({ name: f, path: join(d, f), firstSeq: Number(f.slice(4, 20)) }));
}

/** Writes records (one group per inner array) and closes the log. */
async function writeLog(d: string, groups: WalRecord[][], segmentBytes?: number) {
  const { log } = await openWal(d, segmentBytes ? { segmentBytes } : {});
  for (const g of groups) await (g.length === 1 ? log.append(g[0]!) : log.appendMany(g));
  await log.close();
}

async function expectCorruption(d: string, file: string, offset: number) {
  const err = await openWal(d).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WalCorruptionError);
  expect(err).toMatchObject({ code: 'WAL_CORRUPT', file, offset });
}

const recordArb = fc.record({ t: fc.string({ maxLength: 8 }), v: fc.jsonValue({ maxDepth: 2 }) }) as fc.Arbitrary<WalRecord>;

describe('torn tail', () => {
  it('property: cutting the last segment anywhere replays exactly a prefix and truncates to the last whole commit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(recordArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 200, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (groups, segmentBytes, cutAt) => {
          const d = await mkdtemp(join(tmpdir(), 'wal-prop-'));
          try {
            await writeLog(d, groups, segmentBytes);
            const all = groups.flat().map(normalise);
            const last = (await segmentFiles(d)).at(-1)!;
            const size = (await stat(last.path)).size;
            const cut = Math.floor(cutAt * size);
            await truncate(last.path, cut);

            // Independently of the reader: where do commit groups end inside the last segment?
            let seq = 0,
              offset = 0,
              keep = 0,
              kept = last.firstSeq - 1;
            for (const g of groups) {
              const groupBytes = g.reduce((n, r) => n + frameBytes(r), 0);
              const start = seq + 1;
              seq += g.length;
              if (start < last.firstSeq) continue;
              offset += groupBytes;
              if (offset <= cut) {
                keep = offset;
                kept = seq;
              }
            }

            const { log, replay } = await openWal(d, { segmentBytes });
            try {
              expect(replay.records).toEqual(all.slice(0, kept).map((record, i) => ({ seq: i + 1, record })));
              expect(replay.truncatedBytes).toBe(cut - keep);
              expect((await stat(last.path)).size).toBe(keep);
              expect(await log.append({ t: 'after' })).toBe(kept + 1);
            } finally {
              await log.close();
            }
          } finally {
            await rm(d, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('drops a last frame whose CRC is bad when it runs to the end of the file', async () => {
    const recs = [{ t: 'a' }, { t: 'b' }, { t: 'c', text: 'last one' }];
    await writeLog(
      dir,
      recs.map((r) => [r]),
    );
    const [seg] = await segmentFiles(dir);
    const buf = await readFile(seg!.path);
    flip(buf, buf.length - 3, 0xff);
    await writeFile(seg!.path, buf);
    const { log, replay } = await openWal(dir);
    expect(replay.records.map((r) => r.record.t)).toEqual(['a', 'b']);
    expect(replay.truncatedBytes).toBe(frameBytes(recs[2]!));
    expect(await log.append({ t: 'c2' })).toBe(3);
    await log.close();
  });

  it('drops a zero-filled tail (a file extended but never written before power loss)', async () => {
    await writeLog(dir, [[{ t: 'a' }], [{ t: 'b' }]]);
    const [seg] = await segmentFiles(dir);
    await appendFile(seg!.path, Buffer.alloc(100));
    const { log, replay } = await openWal(dir);
    expect(replay.records.map((r) => r.record.t)).toEqual(['a', 'b']);
    expect(replay.truncatedBytes).toBe(100);
    await log.close();
  });
});

describe('corruption is never skipped', () => {
  const twenty = Array.from({ length: 20 }, (_, i) => [{ t: 'm', i, pad: 'x'.repeat(i) }]);
  const offsetOf = (n: number) => twenty.slice(0, n).reduce((o, [r]) => o + frameBytes(r!), 0);

  it('a flipped payload byte in an early frame names the file and the frame offset', async () => {
    await writeLog(dir, twenty);
    const [seg] = await segmentFiles(dir);
    const before = await readFile(seg!.path);
    const buf = Buffer.from(before);
    flip(buf, offsetOf(3) + HEADER_BYTES + 2, 0x01);
    await writeFile(seg!.path, buf);
    await expectCorruption(dir, seg!.path, offsetOf(3));
    // nothing on disk was "repaired"
    expect((await readFile(seg!.path)).equals(buf)).toBe(true);
  });

  it('a damaged length word pointing past the end is corruption when intact frames follow', async () => {
    await writeLog(dir, twenty);
    const [seg] = await segmentFiles(dir);
    const buf = await readFile(seg!.path);
    buf.writeUInt32LE(1_000_000, offsetOf(5));
    await writeFile(seg!.path, buf);
    await expectCorruption(dir, seg!.path, offsetOf(5));
  });

  it('a damaged sequence number is caught by the CRC', async () => {
    await writeLog(dir, twenty);
    const [seg] = await segmentFiles(dir);
    const buf = await readFile(seg!.path);
    flip(buf, offsetOf(7) + 8, 0x04);
    await writeFile(seg!.path, buf);
    await expectCorruption(dir, seg!.path, offsetOf(7));
  });

  it('damage at the end of a sealed (not last) segment is corruption, not a torn tail', async () => {
    await writeLog(dir, twenty, 150);
    const segs = await segmentFiles(dir);
    expect(segs.length).toBeGreaterThan(2);
    const sealed = segs[0]!;
    const size = (await stat(sealed.path)).size;
    await truncate(sealed.path, size - 1);
    const lastBefore = (await stat(segs.at(-1)!.path)).size;
    const err = await openWal(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WalCorruptionError);
    expect((err as WalCorruptionError).file).toBe(sealed.path);
    expect((await stat(segs.at(-1)!.path)).size).toBe(lastBefore);
  });

  it('a missing segment is a sequence gap', async () => {
    await writeLog(dir, twenty, 150);
    const segs = await segmentFiles(dir);
    await unlink(segs[1]!.path);
    await expectCorruption(dir, segs[2]!.path, 0);
  });

  it('a damaged snapshot is reported, never replaced by a guess', async () => {
    const { log } = await openWal(dir);
    for (let i = 0; i < 5; i++) await log.append({ t: 'm', i });
    await log.snapshot({ scene: 'important' }, 5);
    await log.close();
    const path = join(dir, 'snapshot-0000000000000005.json');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('important', 'imp0rtant'));
    const err = await openWal(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'WAL_CORRUPT', file: path });
  });

  it('ignores and removes a snapshot tmp file left by a crash before its rename', async () => {
    await writeLog(dir, [[{ t: 'a' }]]);
    await writeFile(join(dir, 'snapshot-0000000000000001.json.tmp'), '{"half":');
    const { log, replay } = await openWal(dir);
    expect(replay.snapshot).toBeNull();
    expect(replay.records).toHaveLength(1);
    expect((await readdir(dir)).some((f) => f.endsWith('.tmp'))).toBe(false);
    await log.close();
  });
});
