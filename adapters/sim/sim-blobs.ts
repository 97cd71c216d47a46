// The simulator's blobs (docs/protocol.md "Blobs"): the mesh and image files it holds by hash, its
// side of ask-then-send uploads, receiving the chunks the orchestrator sends, and importing a mesh or
// texture the way an engine does — rebuilt from the bytes it holds and reported as it then holds it,
// never as the wire said.
import { createHash } from 'node:crypto';
import { decodeMesh, encodeMesh, imageInfo, meshSummaryOf, positionsMetres, uvsFromBlob } from '../../shared/canonical/index.js';
import { blobChunks, decodeBlobChunk, VibeSyncError, type MeshSummary, type Texture } from '../../shared/protocol/index.js';
import type { SimAdapter } from './sim-adapter.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** What the blobs use of their simulator. */
export type BlobHost = Pick<SimAdapter, 'sendBinary' | 'send' | 'waitFor'>;

export class SimBlobs {
  /** blobs this engine holds, by hash: its own meshes, and those the orchestrator sent it */
  readonly held = new Map<string, Uint8Array>();
  private incoming: { hash: string; next: number; count: number; parts: Uint8Array[] } | null = null;
  private readonly imported = new Map<string, MeshSummary>();

  constructor(private readonly sim: BlobHost) {}

  /**
   * Holds a texture as the image file it received, and reports that file: its SHA-256 and the
   * size and format its header declares (never the wire's values). A texture without a blob is
   * kept as its reference.
   */
  importTexture(t: Texture): Texture {
    if (!t.blob) return t;
    const bytes = this.held.get(t.hash);
    if (!bytes) throw new VibeSyncError('TARGET_FAILED', `texture blob ${t.hash} was never received`);
    const info = imageInfo(bytes);
    if (!info) throw new VibeSyncError('TARGET_FAILED', `texture blob ${t.hash} is neither a PNG nor a JPEG`);
    return { slot: t.slot, width: info.width, height: info.height, hash: sha256(bytes), format: info.format, blob: true };
  }

  /**
   * Rebuilds a mesh from the blob this engine holds (positions stored as float32, like an engine)
   * and returns the summary of what it then holds. A mesh without a blob is kept as its summary.
   */
  importMesh(m: MeshSummary): MeshSummary {
    if (!m.blob) return m;
    const known = this.imported.get(m.geometryHash);
    if (known) return known;
    const bytes = this.held.get(m.geometryHash);
    if (!bytes) throw new VibeSyncError('TARGET_FAILED', `mesh blob ${m.geometryHash} was never received`);
    const d = decodeMesh(bytes);
    const rebuilt = encodeMesh({
      positions: Float32Array.from(positionsMetres(d)),
      faceSizes: d.faceSizes,
      corners: d.corners,
      slots: d.slots,
      uvs: d.uvs && Float32Array.from(uvsFromBlob(d)!),
    });
    const summary = meshSummaryOf(rebuilt, sha256);
    this.imported.set(m.geometryHash, summary);
    return summary;
  }

  /** Sends a blob's chunk frames under `hash` (normally its own SHA-256; tests may lie). */
  send(hash: string, bytes: Uint8Array): void {
    for (const frame of blobChunks(hash, bytes)) this.sim.sendBinary(frame);
  }

  /**
   * Ask, then send: `blob_query` for every blob this engine holds (or `only` those), chunks for those
   * in `blob_need`, and resolves once each of those is `blob_stored` (or refused). Returns the hashes sent.
   */
  async upload(only?: Iterable<string>): Promise<string[]> {
    const hashes = only ? [...only] : [...this.held.keys()];
    if (hashes.length === 0) return [];
    const ref = this.sim.send('blob_query', {
      blobs: hashes.map((hash) => {
        const bytes = this.held.get(hash)!;
        return { hash, kind: imageInfo(bytes) ? ('texture' as const) : ('mesh' as const), size: bytes.length };
      }),
    });
    const need = (await this.sim.waitFor('blob_need', (m) => m.body.ref === ref)).body.need;
    for (const hash of need) this.send(hash, this.held.get(hash)!);
    await Promise.all(
      need.map((hash) =>
        Promise.race([
          this.sim.waitFor('blob_stored', (m) => m.body.hash === hash),
          this.sim.waitFor('error', (m) => m.body.message.includes(hash)),
        ]),
      ),
    );
    return need;
  }

  /**
   * One chunk of a blob the orchestrator sends. Returns the blob's hash once its last chunk arrived
   * and the whole hashes right (it is then held), else null. Throws on a bad chunk.
   */
  receive(frame: Uint8Array): string | null {
    const c = decodeBlobChunk(frame);
    if (c.index === 0) this.incoming = { hash: c.hash, next: 0, count: c.count, parts: [] };
    const inc = this.incoming;
    if (!inc || inc.hash !== c.hash || inc.next !== c.index)
      throw new VibeSyncError('TARGET_FAILED', `blob chunk ${c.index} of ${c.hash} out of order`);
    inc.parts.push(Uint8Array.from(c.payload));
    if (++inc.next < inc.count) return null;
    this.incoming = null;
    const bytes = Buffer.concat(inc.parts);
    const got = sha256(bytes);
    if (got !== inc.hash) throw new VibeSyncError('TARGET_FAILED', `blob ${inc.hash} hashes to ${got}; dropped`);
    this.held.set(inc.hash, new Uint8Array(bytes));
    return inc.hash;
  }
}
