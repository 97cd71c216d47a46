// Everything the brain must get back after a crash: the scene, the ID map, proposals, the audit
// log, the trust threshold, engine PANIC / quarantine / trust. Volatile things (sessions, queues,
// in-flight transactions) are not here: engines reconnect and are resynced from this state.
import { DEFAULT_TRUST_THRESHOLD, INITIAL_TRUST, type AuditEntry, type PanicView, type PendingView } from '../../../shared/ipc/index.js';
import type { Mutation, Scene } from '../../../shared/protocol/index.js';
import { IdMap, type IdEntry } from './id-map.js';
import { emptyScene, fromScene, putObject, toScene, type SceneState } from './scene-model.js';

// The trust numbers live in shared/ so the panel explains the same ones the brain applies.
export { DEFAULT_TRUST_THRESHOLD, INITIAL_TRUST };
/** The audit window kept in memory and in snapshots (the live panel); every entry is in the audit log on disk (docs/audit.md). */
export const AUDIT_KEEP = 5000;

export interface Proposal {
  view: PendingView;
  /** pending: waiting for a person; approved: on its way to the targets */
  status: 'pending' | 'approved';
  mutation: Mutation | null;
  /** a script's changes as its sandbox run produced them, which the reviewer saw */
  mutations?: Mutation[];
  touches: string[];
  /** the subject key the ID map holds PENDING for, if any */
  subjectKind: 'object' | 'material' | null;
  /** SHA-256 of the proposal's content (everything but its pid): a re-sent pid is compared with it */
  digest?: string;
}

/** Every pid ever proposed, kept for good (compaction included): a pid is never accepted twice. */
export interface PidRecord {
  agent: string;
  /** the content digest ('' for proposals recorded before digests existed: any re-send conflicts) */
  digest: string;
  status: 'pending' | 'approved' | 'rejected' | 'applied' | 'failed' | 'blocked';
  reason: string;
}

export interface EngineRecord {
  name: string;
  trust: number;
  quarantineUntil: number | null;
  panic: PanicView | null;
  /** the heartbeat breaker is open (Deadlock): it survives reconnects and restarts until a lead resets it */
  breakerOpen?: boolean;
}

export interface DurableState {
  scene: SceneState;
  /** true once any snapshot was adopted: later snapshots are compared, not adopted */
  sceneAdopted: boolean;
  ids: IdMap;
  proposals: Map<string, Proposal>;
  pids: Map<string, PidRecord>;
  audit: AuditEntry[];
  trustThreshold: number;
  /** the orchestrator's PANIC: the latest unresolved terminal failure */
  panic: PanicView | null;
  engines: Map<string, EngineRecord>;
}

export function emptyState(): DurableState {
  return {
    scene: emptyScene(),
    sceneAdopted: false,
    ids: new IdMap(),
    proposals: new Map(),
    pids: new Map(),
    audit: [],
    trustThreshold: DEFAULT_TRUST_THRESHOLD,
    panic: null,
    engines: new Map(),
  };
}

export function engineRecord(s: DurableState, name: string): EngineRecord {
  let e = s.engines.get(name);
  if (!e) s.engines.set(name, (e = { name, trust: INITIAL_TRUST, quarantineUntil: null, panic: null }));
  return e;
}

/** Plain JSON form, used for WAL snapshots and for comparing states in tests. */
export interface ExportedState {
  scene: Scene;
  origin: Array<[string, string]>;
  sceneAdopted: boolean;
  ids: IdEntry[];
  proposals: Array<[string, Proposal]>;
  /** absent in snapshots written before pids were kept */
  pids?: Array<[string, PidRecord]>;
  audit: AuditEntry[];
  trustThreshold: number;
  panic: PanicView | null;
  engines: EngineRecord[];
}

const sortedEntries = <V>(m: Map<string, V>) => [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

export function exportState(s: DurableState): ExportedState {
  return structuredClone({
    scene: toScene(s.scene),
    origin: sortedEntries(s.scene.origin),
    sceneAdopted: s.sceneAdopted,
    ids: s.ids.toJSON().sort((a, b) => (a.kind + a.id < b.kind + b.id ? -1 : 1)),
    proposals: sortedEntries(s.proposals),
    pids: sortedEntries(s.pids),
    audit: s.audit,
    trustThreshold: s.trustThreshold,
    panic: s.panic,
    engines: sortedEntries(s.engines).map(([, e]) => e),
  });
}

export function importState(x: ExportedState): DurableState {
  const scene = fromScene({ objects: [], materials: x.scene.materials }, '');
  const origin = new Map(x.origin);
  for (const o of x.scene.objects) putObject(scene, o, origin.get(o.id) ?? '');
  return {
    scene,
    sceneAdopted: x.sceneAdopted,
    ids: IdMap.fromJSON(x.ids),
    proposals: new Map(x.proposals),
    pids: new Map(
      x.pids ?? x.proposals.map(([pid, p]) => [pid, { agent: p.view.agent, digest: p.digest ?? '', status: p.status, reason: '' }]),
    ),
    audit: [...x.audit],
    trustThreshold: x.trustThreshold,
    panic: x.panic,
    engines: new Map(x.engines.map((e) => [e.name, { ...e }])),
  };
}

export { emptyScene };
