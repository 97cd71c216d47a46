// Branch checks (failure-modes.md §4, Determinism Escalation; §1, Generation Drift): a subject
// whose branch — itself or any ancestor — is DIRTY waits for a fresh snapshot from its source
// (BRANCH_DIRTY), and one that is LOCKED waits for a lead's emergency unlock (OBJECT_LOCKED).
import { mutationSubject, VibeSyncError, type Mutation } from '../../../shared/protocol/index.js';
import type { DurableState } from './durable-state.js';
import { ancestry } from './scene-model.js';

/** Refuses mutations on a DIRTY branch (until re-snapshot) or a LOCKED one (until unlock). */
export function checkBranches(state: DurableState, mutations: readonly Mutation[]) {
  if (!state.ids.hasHeld()) return;
  for (const m of mutations) {
    const subj = mutationSubject(m);
    if (subj.kind === 'material') {
      refuseHeld(state, 'material', subj.id, m.mid);
      continue;
    }
    const roots = [subj.id];
    if (m.op === 'create' && m.object.parent) roots.push(m.object.parent);
    if (m.op === 'set_props' && m.props.parent) roots.push(m.props.parent);
    for (const r of roots) for (const a of ancestry(state.scene, r)) refuseHeld(state, 'object', a, m.mid);
  }
}

/** The same for a script's declared `touches` (object or material ids): each one's branch must be open. */
export function checkTouches(state: DurableState, touches: readonly string[], via: string) {
  if (!state.ids.hasHeld()) return;
  for (const id of touches) {
    if (state.scene.materials.has(id)) refuseHeld(state, 'material', id, via);
    for (const a of ancestry(state.scene, id)) refuseHeld(state, 'object', a, via);
  }
}

function refuseHeld(state: DurableState, kind: 'object' | 'material', id: string, via: string) {
  const ids = state.ids;
  const st = ids.state(kind, id);
  if (st === 'DIRTY')
    throw new VibeSyncError('BRANCH_DIRTY', `${via}: ${id} is DIRTY; waiting for a fresh snapshot from its source`, { id });
  if (st === 'LOCKED') throw new VibeSyncError('OBJECT_LOCKED', `${via}: ${id} is LOCKED (${ids.get(kind, id)?.locked?.reason})`, { id });
}
