// The blob digest worker: the digest it gives is node:crypto's over the same bytes in order, a
// received frame's memory moves to it without a copy, and a worker that dies mid-blob fails that
// blob's digest (INTERNAL) instead of giving a digest of part of it.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DigestPool, inThreadDigest } from './digest-pool.js';
import { BlobStore } from './store.js';

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

let pool: DigestPool;
afterEach(async () => {
  await pool?.close();
});

describe('DigestPool', () => {
  it('digests chunks in order, as node:crypto does on this thread', async () => {
    pool = new DigestPool();
    const parts = [randomBytes(1024 * 1024), randomBytes(5), randomBytes(300 * 1024)];
    const want = sha(...parts);
    const d = pool.create();
    for (const p of parts) d.update(Uint8Array.from(p));
    const empty = pool.create();
    expect(await d.digest()).toBe(want);
    expect(await empty.digest()).toBe(sha());
    const local = inThreadDigest();
    for (const p of parts) local.update(p);
    expect(await local.digest()).toBe(want);
  });

  it('moves a frame-shaped chunk (headers, then the chunk to the end) and copies a chunk with bytes after it', async () => {
    pool = new DigestPool();
    const frame = new Uint8Array(100 + 256 * 1024).fill(7);
    const moved = frame.subarray(100);
    const shared = new Uint8Array(512 * 1024).fill(9);
    const kept = shared.subarray(0, 256 * 1024);
    const want = sha(moved, kept);
    const d = pool.create();
    d.update(moved);
    d.update(kept);
    expect(await d.digest()).toBe(want);
    expect(frame.byteLength).toBe(0); // its memory went to the worker
    expect(shared.byteLength).toBe(512 * 1024); // the rest of this memory is someone else's
    expect(shared[shared.length - 1]).toBe(9);
  });

  it('a worker that dies mid-blob: that digest fails INTERNAL, the next blob gets a new worker', async () => {
    pool = new DigestPool();
    const d = pool.create();
    d.update(new Uint8Array(10));
    await new Promise((r) => setTimeout(r, 50));
    await (pool as unknown as { slot: { worker: { terminate(): Promise<number> } } }).slot.worker.terminate();
    await expect(d.digest()).rejects.toMatchObject({ code: 'INTERNAL' });
    const next = pool.create();
    next.update(new Uint8Array([1, 2, 3]));
    expect(await next.digest()).toBe(sha(new Uint8Array([1, 2, 3])));
  });
});

describe('BlobStore with the digest worker', () => {
  it('stores a blob whose bytes match its name, and refuses one that does not, leaving no file', async () => {
    pool = new DigestPool();
    const dir = mkdtempSync(join(tmpdir(), 'vibesync-digest-'));
    try {
      const store = new BlobStore(dir, pool.create);
      const blob = randomBytes(3 * 1024 * 1024 + 17);
      const hash = sha(blob);
      const w = store.write(hash);
      for (let i = 0; i < blob.length; i += 1024 * 1024) w.append(Uint8Array.from(blob.subarray(i, i + 1024 * 1024)));
      await w.finish();
      expect(readFileSync(store.path(hash)).equals(blob)).toBe(true);

      const liar = store.write(sha(Buffer.from('something else')));
      liar.append(Uint8Array.from(blob.subarray(0, 1000)));
      await expect(liar.finish()).rejects.toMatchObject({ code: 'HASH_MISMATCH' });
      expect(store.has(sha(Buffer.from('something else')))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
