// Content-addressed blob files on disk: <dir>/<first two hex digits>/<sha256>. A blob is written
// to a temporary file chunk by chunk, each chunk hashed once it is written (one update per chunk;
// the orchestrator hashes in a worker thread, digest-pool.ts), and only a matching digest is
// fsynced, renamed into place and its directory fsynced. A blob present under its name is whole and
// verified. Chunks are written on the libuv thread pool, in order: a write stalled by the kernel's
// writeback never stalls the event loop (heartbeats, the panel).
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, write } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import { inThreadDigest, type DigestFactory } from './digest-pool.js';

const HASH_RE = /^[0-9a-f]{64}$/;

/** One blob being received: append chunks, then `finish` checks the digest and makes it durable. */
export interface BlobWriter {
  readonly hash: string;
  readonly received: number;
  append(chunk: Uint8Array): void;
  /**
   * Rejects with HASH_MISMATCH (leaving nothing behind) when the bytes are not the named blob;
   * otherwise the file is fsynced (off the event loop), moved into place and its directory fsynced.
   */
  finish(): Promise<void>;
  abort(): void;
}

/** Writes all of `chunk` at the file's current position, on the thread pool. */
async function writeAll(fd: number, chunk: Uint8Array): Promise<void> {
  for (let off = 0; off < chunk.length;) {
    off += await new Promise<number>((resolve, reject) =>
      write(fd, chunk, off, chunk.length - off, null, (e, n) => (e ? reject(e) : resolve(n))),
    );
  }
}

/** fsync of a directory, so a rename into it is durable; on the libuv thread pool, not the event loop. */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class BlobStore {
  private readonly tmp: string;

  constructor(
    readonly dir: string,
    private readonly digests: DigestFactory = inThreadDigest,
  ) {
    this.tmp = join(dir, 'tmp');
    mkdirSync(this.tmp, { recursive: true });
    // A crash mid-transfer leaves partial files: they were never a blob.
    for (const name of readdirSync(this.tmp)) rmSync(join(this.tmp, name), { force: true });
  }

  path(hash: string): string {
    if (!HASH_RE.test(hash)) throw new VibeSyncError('SCHEMA_VIOLATION', `${hash} is not a SHA-256 hex digest`);
    return join(this.dir, hash.slice(0, 2), hash);
  }

  has(hash: string): boolean {
    return HASH_RE.test(hash) && existsSync(this.path(hash));
  }

  size(hash: string): number {
    return statSync(this.path(hash)).size;
  }

  /** Every stored blob's hash. */
  list(): string[] {
    const out: string[] = [];
    for (const d of readdirSync(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(d)) continue;
      for (const f of readdirSync(join(this.dir, d))) if (HASH_RE.test(f)) out.push(f);
    }
    return out;
  }

  write(hash: string): BlobWriter {
    const final = this.path(hash);
    const tmpPath = join(this.tmp, `${hash}.${randomBytes(4).toString('hex')}`);
    const fd = openSync(tmpPath, 'w');
    const digest = this.digests();
    let received = 0;
    let open = true;
    /** the chunks' writes, one after another; the first failure is kept for `finish` */
    let written: Promise<void> = Promise.resolve();
    let failure: unknown = null;
    const close = () => {
      if (open) closeSync(fd);
      open = false;
    };
    const discard = () => {
      close();
      rmSync(tmpPath, { force: true });
    };
    const dir = this.dir;
    return {
      hash,
      get received() {
        return received;
      },
      append(chunk) {
        received += chunk.length;
        // hashed once written: the digest takes the chunk's memory (another thread may hash it)
        written = written
          .then(async () => {
            if (failure !== null) return;
            await writeAll(fd, chunk);
            digest.update(chunk);
          })
          .catch((e: unknown) => void (failure ??= e));
      },
      async finish() {
        await written;
        if (failure !== null) {
          discard();
          throw failure;
        }
        let got: string;
        try {
          got = await digest.digest();
        } catch (e) {
          discard();
          throw e;
        }
        if (got !== hash) {
          discard();
          throw new VibeSyncError('HASH_MISMATCH', `blob ${hash}: its ${received} bytes hash to ${got}; nothing was stored`);
        }
        try {
          await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
        } catch (e) {
          discard();
          throw e;
        }
        close();
        const sub = join(dir, hash.slice(0, 2));
        mkdirSync(sub, { recursive: true });
        renameSync(tmpPath, final);
        await fsyncDir(sub);
      },
      // after the writes still queued, so the file is not closed under them
      abort: () =>
        void written.then(() => {
          digest.drop();
          discard();
        }),
    };
  }

  /** Reads a stored blob in pieces of at most `size` bytes. */
  *read(hash: string, size: number): Generator<Uint8Array> {
    const fd = openSync(this.path(hash), 'r');
    try {
      const total = statSync(this.path(hash)).size;
      if (total === 0) yield new Uint8Array(0);
      for (let off = 0; off < total;) {
        const buf = Buffer.allocUnsafe(Math.min(size, total - off));
        let n = 0;
        while (n < buf.length) n += readSync(fd, buf, n, buf.length - n, off + n);
        off += n;
        yield buf;
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Deletes every blob not in `keep` and older than `graceMs`; returns the hashes deleted. */
  collect(keep: ReadonlySet<string>, now: number, graceMs: number): string[] {
    const gone: string[] = [];
    for (const hash of this.list()) {
      if (keep.has(hash)) continue;
      const p = this.path(hash);
      if (now - statSync(p).mtimeMs < graceMs) continue;
      rmSync(p, { force: true });
      gone.push(hash);
    }
    return gone;
  }
}
