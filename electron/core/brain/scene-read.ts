// Agents read the scene (issue 13): `scene_request` answered by `scene_page`, the orchestrator's
// authoritative scene in pages bounded in count and in bytes, each subject with its ID-map state and
// the WAL seq the page reflects. A read never changes state; the transport rate-limits it like any frame.
import {
  SCENE_PAGE_MAX_BYTES,
  VibeSyncError,
  type AdapterMessage,
  type BodyOf,
  type Material,
  type OrchestratorMessage,
  type SceneObject,
} from '../../../shared/protocol/index.js';
import type { BrainContext } from './context.js';
import type { Session } from './session.js';

type SceneReadContext = Pick<BrainContext, 'ledger' | 'sessions'>;
type Page = BodyOf<OrchestratorMessage, 'scene_page'>;

/** Room left in a page for the envelope and the page's own fields. */
const OVERHEAD_BYTES = 1024 + 256 * 100;

/** Cursors are `o:<id>` (objects) or `m:<id>` (materials): the page resumes after that subject. */
function parseCursor(cursor: string | null): { kind: 'o' | 'm'; id: string } | null {
  if (cursor === null) return null;
  const m = /^([om]):(.+)$/.exec(cursor);
  if (!m)
    throw new VibeSyncError(
      'SCHEMA_VIOLATION',
      `cursor "${cursor.slice(0, 64)}" is not one this orchestrator gives out (o:<id> or m:<id>)`,
    );
  return { kind: m[1] as 'o' | 'm', id: m[2]! };
}

export class SceneRead {
  constructor(private readonly ctx: SceneReadContext) {}

  /** Builds the page answering `body`; `ref` is the request's id. */
  page(body: BodyOf<AdapterMessage, 'scene_request'>, ref: string): Page {
    const { state, seq } = this.ctx.ledger;
    const { objects, materials } = state.scene;
    const after = parseCursor(body.cursor);
    const engines = [...this.ctx.sessions.values()]
      .slice(0, 256)
      .map((s) => ({ name: s.name, roles: [...s.peer.roles] }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const page: Page = { ref, seq, total: 0, objects: [], materials: [], missing: [], engines, nextCursor: null };
    let bytes = OVERHEAD_BYTES;
    const fits = (item: unknown) => {
      const size = Buffer.byteLength(JSON.stringify(item));
      if (page.objects.length + page.materials.length > 0 && (bytes + size + 1 > SCENE_PAGE_MAX_BYTES || this.full(page, body.limit)))
        return false;
      bytes += size + 1;
      return true;
    };
    if (body.objectIds !== null) {
      const ids = [...new Set(body.objectIds)].sort();
      page.total = ids.length;
      for (const id of ids) {
        if (after && id <= after.id) continue;
        const o = objects.get(id);
        if (!o) {
          page.missing.push(id);
          continue;
        }
        const item = { object: o, state: state.ids.state('object', id) };
        if (!fits(item)) {
          page.nextCursor = `o:${page.objects.at(-1)?.object.id ?? after?.id ?? ''}`;
          break;
        }
        page.objects.push(item);
      }
      return page;
    }
    page.total = objects.size + materials.size;
    const objIds = after?.kind === 'm' ? [] : [...objects.keys()].sort();
    for (const id of objIds) {
      if (after && id <= after.id) continue;
      const item = { object: objects.get(id) as SceneObject, state: state.ids.state('object', id) };
      if (!fits(item)) {
        page.nextCursor = `o:${page.objects.at(-1)!.object.id}`;
        return page;
      }
      page.objects.push(item);
    }
    for (const id of [...materials.keys()].sort()) {
      if (after?.kind === 'm' && id <= after.id) continue;
      const item = { material: materials.get(id) as Material, state: state.ids.state('material', id) };
      if (!fits(item)) {
        const last = page.materials.at(-1);
        page.nextCursor = last ? `m:${last.material.id}` : `o:${page.objects.at(-1)!.object.id}`;
        return page;
      }
      page.materials.push(item);
    }
    return page;
  }

  private full(page: Page, limit: number) {
    return page.objects.length + page.materials.length >= limit;
  }

  /** Answers an agent's `scene_request` on its session. */
  onRequest(sess: Session, body: BodyOf<AdapterMessage, 'scene_request'>, ref: string) {
    if (!sess.has('agent')) throw new VibeSyncError('FORBIDDEN_ROLE', `${sess.name} did not handshake as an agent`);
    sess.peer.send('scene_page', this.page(body, ref));
  }
}
