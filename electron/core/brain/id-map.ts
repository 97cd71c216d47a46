// The global ID map: the sync state of every object and material. CLEAN is the default and is
// not stored; an entry exists only while something holds the subject (a lock, a dirty branch
// waiting for a re-snapshot, pending AI proposals). LOCKED outranks DIRTY outranks PENDING.
import type { ObjectState } from '../../../shared/ipc/index.js';
import type { SubjectKind } from './scene-model.js';

interface Mark {
  reason: string;
  since: number;
  /** the engine whose snapshot clears the mark (a DIRTY subject's source), or the failed engine (LOCKED) */
  engine: string | null;
  /** DIRTY by semantic drift: the engine whose report disagreed (a person's resync of it clears the mark) */
  drift?: string;
}

export interface IdEntry {
  kind: SubjectKind;
  id: string;
  locked: Mark | null;
  dirty: Mark | null;
  /** pids of pending proposals on this subject, with the time the first arrived */
  pending: string[];
  pendingSince: number;
}

export const subjectKey = (kind: SubjectKind, id: string) => (kind === 'object' ? `o/${id}` : `m/${id}`);

export function stateOf(e: IdEntry | undefined): ObjectState {
  if (!e) return 'CLEAN';
  if (e.locked) return 'LOCKED';
  if (e.dirty) return 'DIRTY';
  return e.pending.length ? 'PENDING' : 'CLEAN';
}

export class IdMap {
  readonly entries = new Map<string, IdEntry>();

  get(kind: SubjectKind, id: string): IdEntry | undefined {
    return this.entries.get(subjectKey(kind, id));
  }
  state(kind: SubjectKind, id: string): ObjectState {
    return stateOf(this.get(kind, id));
  }

  /** Some subject is LOCKED or DIRTY: only then can a branch check refuse anything (PENDING alone holds nothing back). */
  hasHeld(): boolean {
    for (const e of this.entries.values()) if (e.locked || e.dirty) return true;
    return false;
  }

  private entry(kind: SubjectKind, id: string): IdEntry {
    const key = subjectKey(kind, id);
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { kind, id, locked: null, dirty: null, pending: [], pendingSince: 0 }));
    return e;
  }
  private tidy(e: IdEntry) {
    if (!e.locked && !e.dirty && e.pending.length === 0) this.entries.delete(subjectKey(e.kind, e.id));
  }

  lock(kind: SubjectKind, id: string, reason: string, at: number, engine: string | null) {
    const e = this.entry(kind, id);
    if (!e.locked) e.locked = { reason, since: at, engine };
  }
  dirty(kind: SubjectKind, id: string, reason: string, at: number, engine: string | null, driftFrom: string | null = null) {
    const e = this.entry(kind, id);
    e.dirty = driftFrom === null ? { reason, since: at, engine } : { reason, since: at, engine, drift: driftFrom };
  }
  addPending(kind: SubjectKind, id: string, pid: string, at: number) {
    const e = this.entry(kind, id);
    if (e.pending.length === 0) e.pendingSince = at;
    if (!e.pending.includes(pid)) e.pending.push(pid);
  }
  removePending(kind: SubjectKind, id: string, pid: string) {
    const e = this.get(kind, id);
    if (!e) return;
    e.pending = e.pending.filter((p) => p !== pid);
    this.tidy(e);
  }
  /** Clears the dirty marks `filter` selects. Returns the entries cleared. */
  clearDirty(filter: (e: IdEntry) => boolean): IdEntry[] {
    const cleared: IdEntry[] = [];
    for (const e of [...this.entries.values()]) {
      if (e.dirty && filter(e)) {
        e.dirty = null;
        cleared.push(e);
        this.tidy(e);
      }
    }
    return cleared;
  }
  /** The LOCKED entries, oldest first. */
  locked(): IdEntry[] {
    return [...this.entries.values()].filter((e) => e.locked).sort((a, b) => a.locked!.since - b.locked!.since);
  }
  unlockAll(): IdEntry[] {
    const out: IdEntry[] = [];
    for (const e of [...this.entries.values()])
      if (e.locked) {
        e.locked = null;
        out.push(e);
        this.tidy(e);
      }
    return out;
  }
  forget(kind: SubjectKind, id: string) {
    this.entries.delete(subjectKey(kind, id));
  }

  counts(total: number): Record<ObjectState, number> {
    const c: Record<ObjectState, number> = { CLEAN: 0, PENDING: 0, DIRTY: 0, LOCKED: 0 };
    let held = 0;
    for (const e of this.entries.values()) {
      const s = stateOf(e);
      if (s !== 'CLEAN') {
        c[s]++;
        held++;
      }
    }
    c.CLEAN = Math.max(0, total - held);
    return c;
  }

  toJSON(): IdEntry[] {
    return [...this.entries.values()].map((e) => ({ ...e, pending: [...e.pending] }));
  }
  static fromJSON(list: IdEntry[]): IdMap {
    const m = new IdMap();
    for (const e of list) m.entries.set(subjectKey(e.kind, e.id), { ...e, pending: [...e.pending] });
    return m;
  }
}
