// The simulator's own scene and its transaction sandboxes. Like a real engine it applies
// mutations itself (it does not borrow the orchestrator's code), so a disagreement shows up as
// a hash mismatch exactly as it would with Blender or Unity.
import { hashing, type TxState } from '../../shared/canonical/index.js';
import {
  VibeSyncError,
  type Material,
  type MeshSummary,
  type Mutation,
  type Scene,
  type SceneObject,
  type Texture,
} from '../../shared/protocol/index.js';

interface Sandbox {
  objects: Map<string, SceneObject | null>;
  materials: Map<string, Material | null>;
}

export class SimScene {
  private objects = new Map<string, SceneObject>();
  private materials = new Map<string, Material>();
  private readonly sandboxes = new Map<string, Sandbox>();
  /** object → the last live frame applied to it (the orchestrator's numbering) */
  private readonly liveFrames = new Map<string, number>();
  /**
   * How a mesh arriving from the orchestrator becomes this engine's own: a target with geometry
   * rebuilds it from its blob and reports the summary of what it then holds (never the wire's).
   */
  importMesh: (m: MeshSummary) => MeshSummary = (m) => m;
  /** Likewise for a texture: a target with blobs holds the image file and reports what it holds. */
  importTexture: (t: Texture) => Texture = (t) => t;

  constructor(scene: Scene) {
    this.replace(scene);
  }

  /** Replaces everything (snapshot load, or a `resync` from the orchestrator); open sandboxes are dropped. */
  replace(scene: Scene): void {
    this.objects = new Map(scene.objects.map((o) => [o.id, this.imported(structuredClone(o))]));
    this.materials = new Map(scene.materials.map((m) => [m.id, this.importedMaterial(structuredClone(m))]));
    this.sandboxes.clear();
  }

  private imported(o: SceneObject): SceneObject {
    return o.mesh ? { ...o, mesh: this.importMesh(o.mesh) } : o;
  }

  private importedMaterial(m: Material): Material {
    return m.textures.length ? { ...m, textures: m.textures.map((t) => this.importTexture(t)) } : m;
  }

  get size() {
    return this.objects.size;
  }
  object(id: string): SceneObject | undefined {
    return this.objects.get(id);
  }
  get openTransactions() {
    return this.sandboxes.size;
  }

  toScene(): Scene {
    const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return { objects: [...this.objects.values()].sort(byId), materials: [...this.materials.values()].sort(byId) };
  }

  hash(): string {
    return hashing.sceneHash(this.toScene());
  }

  /** Applies to the live scene directly (a source editing its own scene). */
  applyLive(mutations: readonly Mutation[]): void {
    const box = this.plan(mutations, []);
    this.write(box);
  }

  /**
   * A live frame's value (docs/protocol.md "Live lane"): the object's whole transform, in the scene
   * and in every open sandbox that holds the object, as an engine that edits in place would (its
   * sandbox keeps the old values for a rollback, not a copy that a commit writes back). `frame` is
   * the orchestrator's live frame number (a target); returns false for an object this engine does not hold.
   */
  setLiveTransform(id: string, transform: SceneObject['transform'], frame?: number): boolean {
    const o = this.objects.get(id);
    if (!o) return false;
    // In place: no two holders share an object (a sandbox's are its own copies; a transform is
    // replaced, never changed), and a copy per value is most of a 1,000-object frame's cost.
    o.transform = transform;
    if (frame !== undefined) this.liveFrames.set(id, frame);
    for (const box of this.sandboxes.values()) {
      const b = box.objects.get(id);
      if (b) b.transform = transform;
    }
    return true;
  }

  /**
   * Applies `mutations` in a sandbox on top of the scene and any sandboxes still open, and returns
   * what the post-import hash covers. Throws VibeSyncError UNKNOWN_OBJECT if a subject is missing.
   */
  begin(txId: string, mutations: readonly Mutation[]): TxState {
    const box = this.plan(mutations, [...this.sandboxes.values()]);
    this.sandboxes.set(txId, box);
    return {
      objects: Object.fromEntries(box.objects),
      materials: Object.fromEntries(box.materials),
    };
  }

  /**
   * A settle's tx_begin said `liveFrame`: an object of the sandbox this engine has since applied a
   * later live frame to keeps that value (latest wins); the hash was taken before this.
   */
  keepNewerLive(txId: string, liveFrame: number): void {
    const box = this.sandboxes.get(txId);
    if (!box) return;
    for (const [id, o] of box.objects) {
      if (!o || (this.liveFrames.get(id) ?? 0) <= liveFrame) continue;
      box.objects.set(id, { ...o, transform: this.objects.get(id)!.transform });
    }
  }

  commit(txId: string): boolean {
    const box = this.sandboxes.get(txId);
    if (!box) return false;
    this.sandboxes.delete(txId);
    this.write(box);
    return true;
  }

  discard(txId: string): boolean {
    return this.sandboxes.delete(txId);
  }

  private write(box: Sandbox) {
    for (const [id, m] of box.materials) {
      if (m) this.materials.set(id, m);
      else this.materials.delete(id);
    }
    for (const [id, o] of box.objects) {
      if (o) this.objects.set(id, o);
      else this.objects.delete(id);
    }
  }

  private plan(mutations: readonly Mutation[], under: Sandbox[]): Sandbox {
    const box: Sandbox = { objects: new Map(), materials: new Map() };
    const layers = [box, ...[...under].reverse()];
    // The newest layer that mentions a subject wins; null there means deleted.
    const find = <T>(pick: (l: Sandbox) => Map<string, T | null>, base: Map<string, T>, id: string, what: string): T => {
      const layer = layers.find((l) => pick(l).has(id));
      const found = layer ? pick(layer).get(id) : base.get(id);
      if (!found) throw new VibeSyncError('UNKNOWN_OBJECT', `no ${what} "${id}"`);
      return found;
    };
    const obj = (id: string) => find((l) => l.objects, this.objects, id, 'object');
    const mat = (id: string) => find((l) => l.materials, this.materials, id, 'material');
    for (const m of mutations) {
      switch (m.op) {
        case 'set_transform': {
          const o = obj(m.objectId);
          box.objects.set(o.id, { ...o, transform: { ...o.transform, ...m.transform } });
          break;
        }
        case 'set_props': {
          const o = obj(m.objectId);
          const { name, parent, materials, mesh } = m.props;
          const next: SceneObject = {
            ...o,
            ...(name !== undefined && { name }),
            ...(parent !== undefined && { parent }),
            ...(materials !== undefined && { materials: [...materials] }),
            ...(mesh !== undefined && { mesh: mesh && this.importMesh(mesh) }),
          };
          // light, camera, notSynced: null removes the field (an object without it hashes as before)
          for (const k of ['light', 'camera', 'notSynced'] as const) {
            const v = m.props[k];
            if (v === null) delete next[k];
            else if (v !== undefined) (next as Record<string, unknown>)[k] = v;
          }
          box.objects.set(o.id, next);
          break;
        }
        case 'set_material': {
          const cur = mat(m.materialId);
          const c = m.changes;
          box.materials.set(cur.id, {
            ...cur,
            ...(c.name !== undefined && { name: c.name }),
            ...(c.baseColor !== undefined && { baseColor: c.baseColor }),
            ...(c.metallic !== undefined && { metallic: c.metallic }),
            ...(c.roughness !== undefined && { roughness: c.roughness }),
          });
          break;
        }
        case 'create':
          box.objects.set(m.object.id, this.imported(m.object));
          break;
        case 'delete':
          obj(m.objectId);
          box.objects.set(m.objectId, null);
          break;
        case 'upsert_material':
          box.materials.set(m.material.id, this.importedMaterial(m.material));
          break;
      }
    }
    return box;
  }
}
