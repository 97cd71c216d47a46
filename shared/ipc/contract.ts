// The one typed control contract: every action a person can take, with a zod schema per input.
// Electron IPC (preload/main) and the headless WebSocket both derive from this map, and the
// core re-checks the role of the acting person on every call.
import { z } from 'zod';
import type { ControlMethod } from './methods.js';
import type { AuditEntry, PanelState, PanelUpdate, PersonRole } from './view.js';

export type { ControlMethod };

const reason = z.string().trim().min(3, 'say why (at least 3 characters)').max(500);
const engine = z.string().min(1).max(64);

export const EMERGENCY_ACK = 'I understand that state may be permanently lost';
/** One approve / reject call decides at most this many; the panel sends a larger selection in chunks. */
export const MAX_PIDS_PER_CALL = 10_000;
/** One audit page holds at most this many entries; `next` pages further back. */
export const MAX_AUDIT_PAGE = 5000;
const pids = z.array(z.string().min(1).max(64)).min(1).max(MAX_PIDS_PER_CALL);

export const ControlInputs = {
  getState: z.strictObject({}),
  approve: z.strictObject({ pids }),
  reject: z.strictObject({ pids, reason }),
  emergencyUnlock: z.strictObject({ acknowledge: z.literal(EMERGENCY_ACK), reason }),
  resetToken: z.strictObject({ engine, reason }),
  resetBreaker: z.strictObject({ engine, reason }),
  forceResync: z.strictObject({ engine, reason }),
  requestResnapshot: z.strictObject({ objectId: z.string().min(1).max(128), reason }),
  setTrustThreshold: z.strictObject({ value: z.number().int().min(0).max(100), reason }),
  queryAudit: z
    .strictObject({
      kinds: z.array(z.string().max(64)).max(32).optional(),
      text: z.string().max(200).optional(),
      /** exact actor name (person, agent or engine) */
      actor: z.string().min(1).max(64).optional(),
      /** time range, ms since the epoch, both ends included */
      from: z.number().int().min(0).optional(),
      to: z.number().int().min(0).optional(),
      /** paging cursor: only entries with a lower seq (the `next` of the previous page) */
      before: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(MAX_AUDIT_PAGE),
    })
    .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['from'] }),
} as const satisfies { [M in ControlMethod]: z.ZodType };
export type ControlInput<M extends ControlMethod> = z.infer<(typeof ControlInputs)[M]>;

export interface ControlResults {
  getState: PanelState;
  /** changed: scripts whose re-run differs from what was reviewed; they stay pending with the new changes */
  approve: { approved: string[]; missing: string[]; changed?: string[] };
  reject: { rejected: string[]; missing: string[] };
  emergencyUnlock: { unlocked: string[] };
  resetToken: { engine: string; token: string }; // shown once
  resetBreaker: { engine: string };
  forceResync: { engine: string };
  requestResnapshot: { objectId: string; engine: string };
  setTrustThreshold: { value: number };
  /** newest first; `next`: pass as `before` for the next (older) page, null when no older entry matches */
  queryAudit: { entries: AuditEntry[]; next: number | null };
}

/** The role each method needs; the core enforces it, the UI only mirrors it. */
export const REQUIRED_ROLE: Record<ControlMethod, PersonRole> = {
  getState: 'viewer',
  queryAudit: 'viewer',
  approve: 'reviewer',
  reject: 'reviewer',
  requestResnapshot: 'reviewer',
  emergencyUnlock: 'lead',
  resetToken: 'lead',
  resetBreaker: 'lead',
  forceResync: 'lead',
  setTrustThreshold: 'lead',
};

const RANK: Record<PersonRole, number> = { viewer: 0, reviewer: 1, lead: 2 };
export const roleAllows = (have: PersonRole, need: PersonRole) => RANK[have] >= RANK[need];

/** The renderer's view of the contract: one async method per capability, one subscription. */
export type ControlApi = { [M in ControlMethod]: (input: ControlInput<M>) => Promise<ControlResults[M]> } & {
  /** `serverNow`: the orchestrator's clock when the batch was sent (ms since the epoch). */
  onUpdate(listener: (updates: PanelUpdate[], serverNow?: number) => void): () => void;
};

/**
 * Result envelope on the wire (IPC or WebSocket): errors are typed, never thrown raw across the
 * boundary. `serverNow` is the orchestrator's clock when it answered, so a panel on a machine with
 * a skewed clock can still show ages and countdowns against orchestrator timestamps.
 */
export type ControlReply<M extends ControlMethod> = (
  { ok: true; value: ControlResults[M] } | { ok: false; error: { code: string; message: string } }
) & { serverNow?: number };
