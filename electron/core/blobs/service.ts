// Blob traffic on adapter connections (docs/protocol.md "Blobs"): answers `blob_query` with the
// blobs the store lacks, receives their chunk frames in order into the store, and sends a target
// the blobs a resync or transaction needs before that message. Per connection it remembers what it
// asked for, what is arriving, and what it already sent.
import {
  BLOB_CHUNK_BYTES,
  MESH_FLAG_UV,
  MESH_HEADER_BYTES,
  MESH_MAGIC,
  VibeSyncError,
  chunkCount,
  decodeBlobChunk,
  encodeBlobChunk,
  imageInfo,
  quantiseVec,
  STEPS,
  type BodyOf,
  type AdapterMessage,
} from '../../../shared/index.js';
import type { PeerSession } from '../transport/types.js';
import type { BlobUse } from './refs.js';
import type { BlobStore, BlobWriter } from './store.js';

export interface BlobLimits {
  /** the largest blob accepted (Resource Limit), bytes */
  maxBlobBytes: number;
  /** the most vertices a mesh blob may hold (Resource Limit) */
  maxVertices: number;
  /** the largest texture blob (the encoded image file), bytes (Resource Limit) */
  maxTextureBytes: number;
  /** the most pixels along a texture's longer side, as its image header says (Resource Limit) */
  maxTextureSize: number;
}
export const DEFAULT_BLOB_LIMITS: BlobLimits = {
  maxBlobBytes: 256 * 1024 * 1024,
  maxVertices: 2_000_000,
  maxTextureBytes: 64 * 1024 * 1024,
  maxTextureSize: 8192,
};
/** a stored blob nothing references yet is kept this long (its engine may be about to reference it) */
export const BLOB_GRACE_MS = 10 * 60 * 1000;

type Query = BodyOf<AdapterMessage, 'blob_query'>;
type Ref = Query['blobs'][number];

interface Incoming {
  ref: Ref;
  next: number;
  count: number;
  writer: BlobWriter;
  /** refused at its first chunk: the rest of its chunks are read and dropped */
  dropped?: boolean;
}

interface PeerBlobs {
  /** asked for in a blob_need and not yet complete */
  asked: Map<string, Ref>;
  incoming: Incoming | null;
  /** blobs this connection already holds from us */
  sent: Set<string>;
}

export interface BlobServiceDeps {
  store: BlobStore;
  limits?: Partial<BlobLimits>;
  /** how long an unreferenced blob is kept after it was stored (default BLOB_GRACE_MS; wall clock, like file times) */
  graceMs?: number;
  /** a refusal only the sender can be blamed for (RESOURCE_LIMIT, HASH_MISMATCH, SCHEMA_VIOLATION): costs it trust */
  refused?: (peer: PeerSession, code: RefusalCode, reason: string) => void;
}

export type RefusalCode = 'RESOURCE_LIMIT' | 'HASH_MISMATCH' | 'SCHEMA_VIOLATION';

/** What a stored blob is, read from its first bytes: a mesh (its header's counts), an image (its header's size), or neither. */
type BlobInfo =
  | { kind: 'mesh'; vertexCount: number; faceCount: number; grid?: GridBounds }
  | { kind: 'texture'; format: 'png' | 'jpeg'; width: number; height: number }
  | { kind: 'unknown' };

/** A mesh blob's bounds on its own grid (position integers, q / 10000 m), as the summary's quantised bounds must be. */
interface GridBounds {
  min: number[];
  max: number[];
}

/** enough of a file for its mesh header, a PNG's IHDR, or a JPEG's start-of-frame behind its metadata */
const HEAD_BYTES = 256 * 1024;

function infoOf(head: Uint8Array): BlobInfo {
  const mesh = meshHeader(head);
  if (mesh) return { kind: 'mesh', vertexCount: mesh.vertexCount, faceCount: mesh.faceCount };
  const image = imageInfo(head);
  return image ? { kind: 'texture', ...image } : { kind: 'unknown' };
}

/** A mesh blob's header (docs/protocol.md "Mesh blobs"), with the byte length it implies; null when `head` is not one. */
function meshHeader(head: Uint8Array): { vertexCount: number; faceCount: number; flags: number; bytes: number } | null {
  if (head.length < MESH_HEADER_BYTES) return null;
  for (let i = 0; i < 4; i++) if (head[i] !== MESH_MAGIC.charCodeAt(i)) return null;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const [vertexCount, faceCount, corners, flags] = [4, 8, 12, 16].map((o) => dv.getUint32(o, true)) as [number, number, number, number];
  const bytes = MESH_HEADER_BYTES + 4 * (3 * vertexCount + 2 * faceCount + corners + (flags & MESH_FLAG_UV ? 2 * corners : 0));
  return { vertexCount, faceCount, flags, bytes };
}

export class BlobService {
  readonly store: BlobStore;
  readonly limits: BlobLimits;
  private readonly peers = new WeakMap<PeerSession, PeerBlobs>();
  /** verified, being made durable (fsync): not asked for again meanwhile */
  private readonly finishing = new Set<string>();
  /** what each stored blob is (from its first bytes), once looked at */
  private readonly infos = new Map<string, BlobInfo>();

  constructor(private readonly deps: BlobServiceDeps) {
    this.store = deps.store;
    this.limits = { ...DEFAULT_BLOB_LIMITS, ...deps.limits };
  }

  private of(peer: PeerSession): PeerBlobs {
    let p = this.peers.get(peer);
    if (!p) this.peers.set(peer, (p = { asked: new Map(), incoming: null, sent: new Set() }));
    return p;
  }

  has(hash: string): boolean {
    return this.store.has(hash);
  }

  /**
   * Refuses (SCHEMA_VIOLATION, nothing changes) a message that references a blob not stored, or
   * uses one as what its bytes are not: a mesh summary must name a mesh blob with the same vertex
   * and face counts, a texture an image of the same size and format.
   */
  requireStored(uses: Iterable<BlobUse>): void {
    for (const u of uses) {
      if (!this.store.has(u.hash))
        throw new VibeSyncError('SCHEMA_VIOLATION', `blob ${u.hash} is not stored: send it first (blob_query, then its chunks)`);
      const info = this.info(u.hash);
      if (u.kind === 'mesh') {
        if (info.kind !== 'mesh') throw new VibeSyncError('SCHEMA_VIOLATION', `blob ${u.hash} is not a mesh blob, yet a mesh names it`);
        if (info.vertexCount !== u.vertexCount || info.faceCount !== u.faceCount)
          throw new VibeSyncError(
            'SCHEMA_VIOLATION',
            `mesh summary says ${u.vertexCount} vertices and ${u.faceCount} faces; its blob ${u.hash} holds ${info.vertexCount} and ${info.faceCount}`,
          );
        const grid = (info.grid ??= this.gridBounds(u.hash, info.vertexCount));
        const said = { min: quantiseVec(u.bounds.min, STEPS.position), max: quantiseVec(u.bounds.max, STEPS.position) };
        if (said.min.some((v, i) => v !== grid.min[i]) || said.max.some((v, i) => v !== grid.max[i]))
          throw new VibeSyncError(
            'SCHEMA_VIOLATION',
            `mesh summary bounds [${said.min}]..[${said.max}] (0.1 mm steps) are not its blob ${u.hash}'s, [${grid.min}]..[${grid.max}]: take the bounds from the blob's position integers (q / 10000 m)`,
          );
      } else {
        if (info.kind !== 'texture')
          throw new VibeSyncError('SCHEMA_VIOLATION', `blob ${u.hash} is not a PNG or JPEG image, yet a texture names it`);
        if (info.width !== u.width || info.height !== u.height || (u.format !== undefined && info.format !== u.format))
          throw new VibeSyncError(
            'SCHEMA_VIOLATION',
            `texture says ${u.width}x${u.height}${u.format ? ` ${u.format}` : ''}; its blob ${u.hash} is a ${info.width}x${info.height} ${info.format}`,
          );
      }
    }
  }

  /**
   * The min and max of a stored mesh blob's position integers, read once per blob and kept with its
   * info (about 10 ms for a million vertices, on the event loop, when a message first uses it).
   * No vertices: zeros, as meshSummaryOf gives.
   */
  private gridBounds(hash: string, vertexCount: number): GridBounds {
    if (vertexCount === 0) return { min: [0, 0, 0], max: [0, 0, 0] };
    const min = [Infinity, Infinity, Infinity];
    const max = [-Infinity, -Infinity, -Infinity];
    const end = MESH_HEADER_BYTES + 12 * vertexCount;
    let off = 0;
    for (const piece of this.store.read(hash, BLOB_CHUNK_BYTES)) {
      const dv = new DataView(piece.buffer, piece.byteOffset, piece.byteLength);
      // pieces are multiples of 4 bytes long and the header is 20, so no integer straddles two
      for (let p = Math.max(0, MESH_HEADER_BYTES - off); p + 4 <= piece.length && off + p < end; p += 4) {
        const v = dv.getInt32(p, true);
        const k = ((off + p - MESH_HEADER_BYTES) / 4) % 3;
        if (v < min[k]!) min[k] = v;
        if (v > max[k]!) max[k] = v;
      }
      off += piece.length;
      if (off >= end) break;
    }
    return { min, max };
  }

  private info(hash: string): BlobInfo {
    let info = this.infos.get(hash);
    if (!info) {
      const first = this.store.read(hash, HEAD_BYTES).next();
      info = infoOf(first.done ? new Uint8Array(0) : first.value);
      this.infos.set(hash, info);
    }
    return info;
  }

  /** `blob_query` → `blob_need` with what the store lacks; oversize blobs get RESOURCE_LIMIT and are never asked for. */
  onQuery(peer: PeerSession, body: Query, ref: string): void {
    const p = this.of(peer);
    const need: string[] = [];
    for (const b of body.blobs) {
      const max = b.kind === 'texture' ? Math.min(this.limits.maxBlobBytes, this.limits.maxTextureBytes) : this.limits.maxBlobBytes;
      if (b.size > max) {
        this.refuse(peer, 'RESOURCE_LIMIT', `${b.kind} blob ${b.hash} is ${b.size} bytes, over the limit of ${max}: transfer blocked`, ref);
        continue;
      }
      if (this.store.has(b.hash) || this.finishing.has(b.hash) || p.incoming?.ref.hash === b.hash) continue;
      p.asked.set(b.hash, b);
      if (!need.includes(b.hash)) need.push(b.hash);
    }
    peer.send('blob_need', { ref, need });
  }

  private refuse(peer: PeerSession, code: RefusalCode, reason: string, ref: string | null): void {
    peer.send('error', { code, message: reason.slice(0, 2000), ref, txId: null });
    this.deps.refused?.(peer, code, reason);
  }

  /**
   * One binary frame from `peer`. Throws SCHEMA_VIOLATION for a frame that breaks the contract (a
   * Contract Violation for the transport to report); answers recoverable refusals itself.
   */
  onFrame(peer: PeerSession, frame: Uint8Array): void {
    const c = decodeBlobChunk(frame);
    const p = this.of(peer);
    let inc = p.incoming;
    if (!inc) {
      const ref = p.asked.get(c.hash);
      if (!ref) throw new VibeSyncError('SCHEMA_VIOLATION', `binary frame: blob ${c.hash} was not asked for in a blob_need`);
      if (c.index !== 0) throw new VibeSyncError('SCHEMA_VIOLATION', `binary frame: blob ${c.hash} starts at chunk ${c.index}, not 0`);
      if (c.count !== chunkCount(ref.size))
        throw new VibeSyncError(
          'SCHEMA_VIOLATION',
          `binary frame: blob ${c.hash} of ${ref.size} bytes travels in ${chunkCount(ref.size)} chunks, not ${c.count}`,
        );
      p.asked.delete(c.hash);
      const problem = ref.kind === 'mesh' ? this.meshHeaderProblem(ref, c.payload) : this.textureHeaderProblem(c.hash, c.payload);
      if (problem) return this.refuseRest(peer, p, ref, c.count, problem[0], problem[1]);
      inc = p.incoming = { ref, next: 0, count: c.count, writer: this.store.write(c.hash) };
    } else if (c.hash !== inc.ref.hash || c.index !== inc.next) {
      throw new VibeSyncError(
        'SCHEMA_VIOLATION',
        `binary frame: expected chunk ${inc.next} of blob ${inc.ref.hash}, got chunk ${c.index} of ${c.hash} (blobs are sent whole, in order)`,
      );
    }
    inc.writer.append(c.payload);
    inc.next++;
    if (inc.next < inc.count) return;
    p.incoming = null;
    if (inc.dropped) return;
    if (inc.writer.received !== inc.ref.size) {
      inc.writer.abort();
      return this.refuse(
        peer,
        'HASH_MISMATCH',
        `blob ${inc.ref.hash}: ${inc.writer.received} bytes arrived, ${inc.ref.size} announced; nothing was stored`,
        null,
      );
    }
    const { hash, size } = inc.ref;
    this.finishing.add(hash);
    inc.writer.finish().then(
      () => {
        this.finishing.delete(hash);
        peer.send('blob_stored', { hash, size });
      },
      (e: unknown) => {
        this.finishing.delete(hash);
        if (e instanceof VibeSyncError && e.code === 'HASH_MISMATCH') return this.refuse(peer, 'HASH_MISMATCH', e.reason, null);
        peer.send('error', {
          code: 'INTERNAL',
          message: `blob ${hash} could not be stored: ${String(e)}`.slice(0, 2000),
          ref: null,
          txId: null,
        });
      },
    );
  }

  /**
   * The connection closed: a blob it was still sending is deleted at once (its partial file was never
   * a blob, and its descriptor would stay open), not left in `tmp/` until the next start.
   */
  gone(peer: PeerSession): void {
    const p = this.peers.get(peer);
    if (!p) return;
    p.incoming?.writer.abort();
    p.incoming = null;
    p.asked.clear();
  }

  /** A blob that is not what it claims, or over the vertex or texture-size limit, is refused at its first chunk; the rest of its chunks are dropped quietly. */
  private refuseRest(peer: PeerSession, p: PeerBlobs, ref: Ref, count: number, code: RefusalCode, problem: string): void {
    this.refuse(peer, code, problem, null);
    if (count > 1) p.incoming = { ref, next: 1, count, writer: droppingWriter(ref.hash), dropped: true };
  }

  /**
   * A texture blob is refused at its first chunk unless it starts as a PNG or JPEG file whose header
   * (PNG IHDR, JPEG start of frame, within the first chunk) is read, or when that header declares more
   * than maxTextureSize pixels along a side.
   */
  private textureHeaderProblem(hash: string, first: Uint8Array): [RefusalCode, string] | null {
    const info = imageInfo(first);
    if (!info)
      return ['SCHEMA_VIOLATION', `texture blob ${hash} is not a PNG or JPEG file (no image header in its first chunk): nothing stored`];
    if (Math.max(info.width, info.height) <= this.limits.maxTextureSize) return null;
    return [
      'RESOURCE_LIMIT',
      `texture blob ${hash} is a ${info.width}x${info.height} ${info.format.toUpperCase()}, over the limit of ${this.limits.maxTextureSize} pixels a side: transfer blocked, nothing stored`,
    ];
  }

  /** A mesh blob is refused at its first chunk unless its header is one (magic, known flags) whose implied length is the announced size. */
  private meshHeaderProblem(ref: Ref, first: Uint8Array): [RefusalCode, string] | null {
    const header = meshHeader(first);
    if (!header) return ['SCHEMA_VIOLATION', `mesh blob ${ref.hash} does not start with a "VSM1" header: not a mesh blob, nothing stored`];
    if (header.flags & ~MESH_FLAG_UV)
      return ['SCHEMA_VIOLATION', `mesh blob ${ref.hash} has unknown header flags ${header.flags}: not a mesh blob, nothing stored`];
    if (header.bytes !== ref.size)
      return [
        'SCHEMA_VIOLATION',
        `mesh blob ${ref.hash}: its header says ${header.bytes} bytes, ${ref.size} announced: not a mesh blob, nothing stored`,
      ];
    if (header.vertexCount > this.limits.maxVertices)
      return [
        'RESOURCE_LIMIT',
        `mesh blob ${ref.hash} holds ${header.vertexCount} vertices, over the limit of ${this.limits.maxVertices}: transfer blocked, nothing stored`,
      ];
    return null;
  }

  /** Sends `peer` every blob in `hashes` it has not had from us on this connection, before the message that needs them. */
  sendTo(peer: PeerSession, hashes: Iterable<string>): void {
    if (!peer.sendBinary) return;
    const p = this.of(peer);
    for (const hash of hashes) {
      if (p.sent.has(hash) || !this.store.has(hash)) continue;
      const count = chunkCount(this.store.size(hash));
      let index = 0;
      for (const payload of this.store.read(hash, BLOB_CHUNK_BYTES))
        peer.sendBinary(encodeBlobChunk({ hash, index: index++, count, payload }));
      p.sent.add(hash);
    }
  }

  /** Deletes blobs nothing references (and not stored within the grace period); returns how many. */
  collect(referenced: ReadonlySet<string>): number {
    return this.store.collect(referenced, Date.now(), this.deps.graceMs ?? BLOB_GRACE_MS).length;
  }
}

/** Swallows the chunks of a blob already refused, so the sender's in-flight frames are not violations. */
function droppingWriter(hash: string): BlobWriter {
  return {
    hash,
    received: 0,
    append() {},
    finish: async () => {},
    abort() {},
  };
}
