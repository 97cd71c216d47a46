// What one transaction sends to a lagging target. A live stream moves the same objects every
// frame; when a target falls behind, several frames of them wait in its queue, and sending every
// intermediate transform only makes the target fall further behind. A source's consecutive
// `set_transform`s of one object are folded into one carrying the merged transform and the
// latest `mid`: the target lands on the same final state, and the expected post-import hash —
// taken over each subject's final state — is unchanged. AI edits (with a pid) are never folded.
import { mutationSubject, type Mutation } from '../../../shared/protocol/index.js';

type SetTransform = Extract<Mutation, { op: 'set_transform' }>;

/**
 * The mutations to send, in queue order, each object's run of foldable transforms collapsed into
 * the slot of its first. `foldable(i)` says whether the i-th may fold (a plain source mutation,
 * not an AI edit).
 */
export function foldTransforms(mutations: readonly Mutation[], foldable: (i: number) => boolean): Mutation[] {
  const wire: Mutation[] = [];
  /** subject → index in `wire` of its latest mutation, while that one is a foldable set_transform */
  const open = new Map<string, number>();
  mutations.forEach((m, i) => {
    const key = subjectKey(m);
    const at = open.get(key);
    if (m.op === 'set_transform' && foldable(i)) {
      if (at !== undefined) {
        const prev = wire[at] as SetTransform;
        wire[at] = { ...m, transform: { ...prev.transform, ...m.transform } };
        return;
      }
      open.set(key, wire.length);
    } else {
      open.delete(key);
    }
    wire.push(m);
  });
  return wire;
}

export function subjectKey(m: Mutation): string {
  const { kind, id } = mutationSubject(m);
  return `${kind}/${id}`;
}
