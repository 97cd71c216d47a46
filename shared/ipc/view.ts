// What the panel shows: one PanelState snapshot, then PanelUpdate batches (≤ ~10/s).
// The orchestrator owns the truth; the renderer only mirrors this.
import { z } from 'zod';

export const OrchestratorState = z.enum(['RUNNING', 'REPLAYING', 'PANIC']);
export const SessionState = z.enum(['CONNECTING', 'HANDSHAKEN', 'HEALTHY', 'BUSY', 'DEGRADED', 'QUARANTINED', 'PANIC', 'DISCONNECTED']);
export type SessionState = z.infer<typeof SessionState>;
export const ObjectState = z.enum(['CLEAN', 'PENDING', 'DIRTY', 'LOCKED']);
export type ObjectState = z.infer<typeof ObjectState>;
export const PersonRole = z.enum(['viewer', 'reviewer', 'lead']);
export type PersonRole = z.infer<typeof PersonRole>;
export const TokenRole = z.enum(['adapter', 'agent', 'viewer', 'reviewer', 'lead']);
export type TokenRole = z.infer<typeof TokenRole>;

export interface PanicView {
  failure: string; // the failure-modes.md row, e.g. "Contract Violation"
  cause: string; // what happened, in words
  action: string; // what a person must do (token reset, emergency unlock)
  engine: string | null;
  at: number;
  /**
   * 'agent': only that AI agent is halted (quarantined, token revoked); sync between engines goes on.
   * Absent or 'orchestrator': the scene's integrity is in doubt and the whole orchestrator halts.
   */
  scope?: 'orchestrator' | 'agent';
}

export interface EngineView {
  name: string;
  kind: string;
  version: string;
  roles: string[];
  state: SessionState;
  generation: number;
  lastHeartbeatAt: number | null;
  latencyMs: number | null;
  /** mutations/s, newest last, one point per second (≤ 60 points) */
  throughput: number[];
  breaker: 'closed' | 'open';
  trust: number; // 0..100
  quarantineUntil: number | null;
  panic: PanicView | null;
  /**
   * What this target said it could not hold after its last resync (its `error TARGET_FAILED`
   * without a transaction): the scene it holds is not the orchestrator's. Cleared by its next resync.
   */
  cannotHold: { message: string; at: number } | null;
}

export interface ScanFinding {
  rule: string;
  message: string;
  line: number;
  column: number;
  severity: 'block' | 'warn';
}

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface PendingView {
  pid: string;
  agent: string;
  trust: number;
  kind: 'edit' | 'script';
  createdAt: number;
  rationale: string;
  targets: string[];
  subject: string; // object / material id, or "script"
  changes: FieldChange[]; // before/after of what it would change
  /** a script: its code, the scanner's findings, what its sandbox run printed, and a notice when its result changed */
  script: { code: string; findings: ScanFinding[]; output?: string; notice?: string } | null;
}

export interface ObjectView {
  id: string;
  name: string;
  state: ObjectState;
  reason: string | null;
  since: number;
}

/** An object its source could not send as it is (an armature, curve, text, modifiers …): shown, never silent. */
export interface NotSyncedView {
  id: string;
  name: string;
  /** armature, skinning, curve, text, grease_pencil, modifiers, instance, bone_parent, other */
  kind: string;
  reason: string;
}

export interface NotSyncedSummary {
  total: number;
  byKind: Record<string, number>;
  /** the first MAX_NOT_SYNCED, by id */
  items: NotSyncedView[];
}

export interface AuditEntry {
  seq: number;
  at: number;
  kind: string; // e.g. approve, reject, panic, emergency_unlock, token_reset, quarantine, rollback
  actor: string | null; // person or engine
  role: string | null;
  summary: string;
  reason: string | null;
  terminal: boolean;
}

export interface PanelState {
  orchestrator: {
    state: z.infer<typeof OrchestratorState>;
    panic: PanicView | null;
    walRecordsReplayed: number;
    trustThreshold: number; // 0..100; agents at or above auto-approve (never scripts that touch blocked areas)
    startedAt: number;
    version: string;
  };
  engines: EngineView[];
  pending: PendingView[];
  /** Objects that are not CLEAN (DIRTY / LOCKED / PENDING), plus counts by state. */
  objects: { notClean: ObjectView[]; counts: Record<z.infer<typeof ObjectState>, number>; notSynced?: NotSyncedSummary };
  audit: AuditEntry[]; // newest first, the latest ≤ 500
  me: { name: string; role: PersonRole };
}

/** A batch of changes since the last update; applied in order to the mirror. */
export type PanelUpdate =
  | { kind: 'orchestrator'; orchestrator: PanelState['orchestrator'] }
  | { kind: 'engines'; engines: EngineView[] }
  | { kind: 'pending_added'; items: PendingView[] }
  | { kind: 'pending_removed'; pids: string[] }
  | { kind: 'objects'; objects: PanelState['objects'] }
  | { kind: 'audit_added'; entries: AuditEntry[] };
