// WAL record kinds and the reducer that applies them. The live brain applies every record through
// `applyRecord` as it appends it, and startup replays the same records through the same function,
// so a restarted brain reaches exactly the state it had (docs/architecture.md lists the kinds).
import { TRUST_ON_APPROVE, TRUST_ON_REJECT, type AuditEntry, type PanicView, type PersonRole } from '../../../shared/ipc/index.js';
import type { DriftClass, ObjectDrift } from './drift.js';
import type { Mutation, Scene } from '../../../shared/protocol/index.js';
import { engineRecord, AUDIT_KEEP, type DurableState, type Proposal } from './durable-state.js';
import { LOCKED_ACTION } from './failures.js';
import {
  commitPatch,
  descendants,
  fromScene,
  planMutations,
  putObject,
  removeObject,
  type Patch,
  type SubjectKind,
} from './scene-model.js';

export type Subject = [SubjectKind, string];
interface Who {
  actor: string;
  role: PersonRole | 'system';
  reason: string;
}

export type BrainRecord =
  /** a snapshot became (part of) the scene: first one, or a requested re-snapshot replacing the engine's hierarchy */
  | { t: 'scene'; at: number; engine: string; reason: string; scene: Scene }
  /** a source message (or an approved AI edit / script result) accepted into the scene */
  | { t: 'accepted'; at: number; engine: string; ref: string; mutations: Mutation[]; pid: string | null }
  | { t: 'tx_commit'; at: number; target: string; txId: string; subjects: Subject[] }
  /** hash mismatch or target failure: subjects DIRTY until `awaiting` (their source) sends a snapshot */
  | { t: 'tx_rollback'; at: number; target: string; txId: string; subjects: Subject[]; reason: string; awaiting: Record<string, string> }
  | { t: 'proposal'; at: number; proposal: Proposal }
  | ({ t: 'approve'; at: number; pids: string[] } & Who)
  | ({ t: 'reject'; at: number; pids: string[] } & Who)
  | { t: 'proposal_closed'; at: number; pid: string; status: 'applied' | 'failed' | 'blocked'; reason: string }
  /** a terminal failure (failure-modes.md §1) */
  | { t: 'panic'; at: number; view: PanicView; lock: Subject[]; quarantineUntil: number | null }
  | { t: 'quarantine'; at: number; engine: string; until: number; reason: string }
  | { t: 'quarantine_lifted'; at: number; engine: string }
  | { t: 'trust'; at: number; engine: string; delta: number; reason: string }
  | ({ t: 'threshold'; at: number; value: number } & Who)
  | ({ t: 'emergency_unlock'; at: number } & Who)
  | ({ t: 'token_reset'; at: number; engine: string } & Who)
  | ({ t: 'breaker'; at: number; engine: string; open: boolean } & Who)
  | ({ t: 'resync'; at: number; engine: string } & Who)
  | ({ t: 'resnapshot'; at: number; engine: string; objectId: string } & Who)
  /** an engine's snapshot disagreed with the brain (DRIFT_TAXONOMY); semantic subjects go DIRTY until a person acts */
  | {
      t: 'drift';
      at: number;
      engine: string;
      worst: DriftClass;
      items: ObjectDrift[];
      total: number;
      awaiting: Record<string, string | null>;
    };

export type RecordKind = BrainRecord['t'];

const clampTrust = (x: number) => Math.max(0, Math.min(100, x));

function audit(
  s: DurableState,
  seq: number,
  at: number,
  kind: string,
  actor: string | null,
  role: string | null,
  summary: string,
  reason: string | null,
  terminal = false,
) {
  const entry: AuditEntry = { seq, at, kind, actor, role, summary, reason, terminal };
  s.audit.push(entry);
  if (s.audit.length > AUDIT_KEEP * 1.2) s.audit.splice(0, s.audit.length - AUDIT_KEEP);
}

function closeProposal(s: DurableState, pid: string) {
  const p = s.proposals.get(pid);
  if (!p) return;
  if (p.subjectKind) s.ids.removePending(p.subjectKind, p.view.subject, pid);
  s.proposals.delete(pid);
}

/**
 * The orchestrator stays in PANIC while any engine is, while any hierarchy is LOCKED (only emergency
 * unlock opens one: its state is unknown), or while a failure with no engine is unresolved.
 */
function recomputePanic(s: DurableState) {
  if (s.panic && s.panic.engine === null) return;
  let latest: PanicView | null = null;
  for (const e of s.engines.values()) if (e.panic && e.panic.scope !== 'agent' && (!latest || e.panic.at >= latest.at)) latest = e.panic;
  s.panic = latest ?? lockedPanic(s);
}

/** The PANIC a person sees once every engine's PANIC is cleared but hierarchies are still LOCKED. */
function lockedPanic(s: DurableState): PanicView | null {
  const locked = s.ids.locked();
  const first = locked[0]?.locked;
  if (!first) return null;
  const held = first.engine ? ` held by ${first.engine}` : '';
  return {
    failure: first.reason,
    action: LOCKED_ACTION,
    cause: `${locked.length} subject(s)${held} stay LOCKED after the engine's PANIC was cleared`,
    engine: first.engine,
    at: first.since,
  };
}

/** Applies one record. `patch` may carry the plan the live brain already computed for an `accepted` record. */
export function applyRecord(s: DurableState, r: BrainRecord, seq: number, patch?: Patch): void {
  switch (r.t) {
    case 'scene': {
      if (!s.sceneAdopted) {
        const fresh = fromScene(r.scene, r.engine);
        s.scene.objects = fresh.objects;
        s.scene.materials = fresh.materials;
        s.scene.children = fresh.children;
        s.scene.origin = fresh.origin;
      } else {
        for (const [id, owner] of [...s.scene.origin]) if (owner === r.engine) removeObject(s.scene, id);
        for (const m of r.scene.materials) s.scene.materials.set(m.id, m);
        for (const o of r.scene.objects) {
          removeObject(s.scene, o.id);
          putObject(s.scene, o, r.engine);
        }
      }
      s.sceneAdopted = true;
      const cleared = s.ids.clearDirty((e) => e.dirty?.engine === r.engine);
      audit(
        s,
        seq,
        r.at,
        'snapshot',
        r.engine,
        'engine',
        `scene adopted from ${r.engine} (${r.reason}): ${r.scene.objects.length} objects, ${r.scene.materials.length} materials${cleared.length ? `; ${cleared.length} dirty cleared` : ''}`,
        r.reason,
      );
      break;
    }
    case 'accepted': {
      const plan = patch ?? planMutations(s.scene, r.mutations, { maxVertices: Infinity, maxTextureSize: Infinity, maxObjects: Infinity });
      commitPatch(s.scene, plan, r.engine);
      for (const [id, o] of plan.objects) if (!o) s.ids.forget('object', id);
      break;
    }
    case 'tx_commit':
      break;
    case 'tx_rollback': {
      for (const [kind, id] of r.subjects)
        s.ids.dirty(kind, id, `rolled back on ${r.target}: ${r.reason}`, r.at, r.awaiting[`${kind}/${id}`] ?? null);
      audit(
        s,
        seq,
        r.at,
        'rollback',
        r.target,
        'engine',
        `tx ${r.txId} rolled back on ${r.target}; ${r.subjects.length} subject(s) DIRTY`,
        r.reason,
      );
      break;
    }
    case 'proposal': {
      const p = r.proposal;
      s.proposals.set(p.view.pid, p);
      s.pids.set(p.view.pid, { agent: p.view.agent, digest: p.digest ?? '', status: 'pending', reason: 'waiting for review' });
      if (p.subjectKind) s.ids.addPending(p.subjectKind, p.view.subject, p.view.pid, r.at);
      audit(
        s,
        seq,
        r.at,
        'proposal',
        p.view.agent,
        'agent',
        `${p.view.kind} proposal ${p.view.pid} on ${p.view.subject}`,
        p.view.rationale || null,
      );
      break;
    }
    case 'approve':
    case 'reject': {
      for (const pid of r.pids) {
        const p = s.proposals.get(pid);
        if (!p) continue;
        const known = s.pids.get(pid);
        if (known) {
          known.status = r.t === 'approve' ? 'approved' : 'rejected';
          known.reason = `${r.actor}: ${r.reason}`.slice(0, 2000);
        }
        // Trust is earned from people only: trust mode's own approvals (role system) change nothing,
        // or an auto-approved agent would raise itself ever further past the lead's threshold.
        const agent = engineRecord(s, p.view.agent);
        if (r.role !== 'system') agent.trust = clampTrust(agent.trust + (r.t === 'approve' ? TRUST_ON_APPROVE : TRUST_ON_REJECT));
        if (r.t === 'approve') {
          p.status = 'approved';
          if (p.subjectKind) s.ids.removePending(p.subjectKind, p.view.subject, pid);
        } else closeProposal(s, pid);
      }
      audit(s, seq, r.at, r.t, r.actor, r.role, `${r.t === 'approve' ? 'approved' : 'rejected'} ${r.pids.join(', ')}`, r.reason);
      break;
    }
    case 'proposal_closed': {
      const known = s.pids.get(r.pid);
      if (known) {
        known.status = r.status;
        known.reason = r.reason;
      }
      closeProposal(s, r.pid);
      if (r.status !== 'applied') audit(s, seq, r.at, `proposal_${r.status}`, null, null, `proposal ${r.pid} ${r.status}`, r.reason);
      break;
    }
    case 'panic': {
      if (r.view.engine) {
        const e = engineRecord(s, r.view.engine);
        e.panic = r.view;
        if (r.quarantineUntil !== null) e.quarantineUntil = r.quarantineUntil;
      }
      // An agent-scoped PANIC halts that agent only: the orchestrator's state is not in doubt.
      if (r.view.scope !== 'agent') s.panic = r.view;
      for (const [kind, id] of r.lock) {
        s.ids.lock(kind, id, r.view.failure, r.at, r.view.engine);
        if (kind === 'object') for (const d of descendants(s.scene, id)) s.ids.lock('object', d, r.view.failure, r.at, r.view.engine);
      }
      const role = r.view.scope === 'agent' ? 'agent' : 'engine';
      audit(s, seq, r.at, 'panic', r.view.engine, role, `${r.view.failure}: ${r.view.cause}`, r.view.action, true);
      break;
    }
    case 'quarantine':
      engineRecord(s, r.engine).quarantineUntil = r.until;
      audit(
        s,
        seq,
        r.at,
        'quarantine',
        r.engine,
        'engine',
        `${r.engine} quarantined (read-only) until ${new Date(r.until).toISOString()}`,
        r.reason,
      );
      break;
    case 'quarantine_lifted': {
      const e = engineRecord(s, r.engine);
      e.quarantineUntil = null;
      audit(s, seq, r.at, 'quarantine_lifted', r.engine, 'engine', `${r.engine} cool-off over`, null);
      break;
    }
    case 'trust': {
      const e = engineRecord(s, r.engine);
      e.trust = clampTrust(e.trust + r.delta);
      // a refusal that costs trust is visible in the audit, with what was refused
      if (r.delta < 0)
        audit(s, seq, r.at, 'trust_penalty', 'orchestrator', 'system', `${r.engine} lost ${-r.delta} trust (now ${e.trust})`, r.reason);
      break;
    }
    case 'threshold':
      s.trustThreshold = r.value;
      audit(s, seq, r.at, 'trust_threshold', r.actor, r.role, `trust threshold set to ${r.value}`, r.reason);
      break;
    case 'emergency_unlock': {
      const unlocked = s.ids.unlockAll();
      // An agent's own PANIC is not about hierarchies: only its token reset clears it.
      for (const e of s.engines.values()) if (e.panic?.scope !== 'agent') e.panic = null;
      s.panic = null;
      audit(
        s,
        seq,
        r.at,
        'emergency_unlock',
        r.actor,
        r.role,
        `emergency unlock: ${unlocked.length} subject(s) opened, PANIC cleared`,
        r.reason,
        true,
      );
      break;
    }
    case 'token_reset': {
      const e = engineRecord(s, r.engine);
      e.panic = null;
      e.quarantineUntil = null;
      recomputePanic(s);
      audit(s, seq, r.at, 'token_reset', r.actor, r.role, `token of ${r.engine} reset; its PANIC cleared`, r.reason);
      break;
    }
    case 'breaker':
      engineRecord(s, r.engine).breakerOpen = r.open;
      audit(
        s,
        seq,
        r.at,
        r.open ? 'breaker_open' : 'breaker_reset',
        r.actor,
        r.role,
        `circuit breaker of ${r.engine} ${r.open ? 'opened' : 'closed'}`,
        r.reason,
        r.open,
      );
      break;
    case 'resync': {
      // A person resyncing an engine decides a semantic drift it reported in the orchestrator's favour.
      const cleared = r.role === 'system' ? [] : s.ids.clearDirty((e) => e.dirty?.drift === r.engine);
      audit(
        s,
        seq,
        r.at,
        'resync',
        r.actor,
        r.role,
        `${r.engine} resynced from the orchestrator's scene${cleared.length ? `; ${cleared.length} semantic-drift DIRTY mark(s) cleared` : ''}`,
        r.reason,
      );
      break;
    }
    case 'drift': {
      const semantic = r.items.filter((i) => i.drift === 'semantic');
      for (const i of semantic)
        s.ids.dirty(i.kind, i.id, `semantic drift on ${r.engine}: ${i.reason}`, r.at, r.awaiting[`${i.kind}/${i.id}`] ?? null, r.engine);
      const sample = r.items
        .slice(0, 5)
        .map((i) => `${i.id} (${i.drift}: ${i.reason})`)
        .join('; ');
      const what =
        r.worst === 'semantic'
          ? `semantic drift on ${r.engine}: ${semantic.length} subject(s) DIRTY until a person re-snapshots the source (reviewer) or force-resyncs ${r.engine} (lead)`
          : `${r.worst} drift on ${r.engine}: ${r.total} subject(s) differ; resynced automatically`;
      audit(s, seq, r.at, `drift_${r.worst}`, 'orchestrator', 'system', what, sample);
      break;
    }
    case 'resnapshot':
      audit(s, seq, r.at, 'resnapshot', r.actor, r.role, `re-snapshot of ${r.objectId} requested from ${r.engine}`, r.reason);
      break;
  }
}
