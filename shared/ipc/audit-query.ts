// One meaning of an audit query (text, kinds, actor, time range, cursor), for entries already in
// memory: the core's window when it has no durable log, and the panel's test double. The durable
// log (electron/core/audit/store.ts) applies the same rules while it reads its segments.
import type { ControlInput, ControlResults } from './contract.js';
import type { AuditEntry } from './view.js';

export type AuditQuery = ControlInput<'queryAudit'>;

/** Text is matched case-insensitively anywhere in summary, reason, actor or kind. */
export const auditText = (e: AuditEntry) => `${e.summary}\n${e.reason ?? ''}\n${e.actor ?? ''}\n${e.kind}`.toLowerCase();

export function matchesAudit(e: AuditEntry, q: Omit<AuditQuery, 'limit'>): boolean {
  const needle = q.text?.trim().toLowerCase();
  if (q.before !== undefined && e.seq >= q.before) return false;
  if (q.kinds?.length && !q.kinds.includes(e.kind)) return false;
  if (q.actor !== undefined && e.actor !== q.actor) return false;
  if ((q.from !== undefined && e.at < q.from) || (q.to !== undefined && e.at > q.to)) return false;
  return !needle || auditText(e).includes(needle);
}

/** One page, newest first, from entries given newest first. */
export function pageAudit(newestFirst: Iterable<AuditEntry>, q: AuditQuery): ControlResults['queryAudit'] {
  const entries: AuditEntry[] = [];
  for (const e of newestFirst) {
    if (!matchesAudit(e, q)) continue;
    if (entries.length === q.limit) return { entries, next: entries.at(-1)!.seq };
    entries.push(e);
  }
  return { entries, next: null };
}

/** Every kind of entry the orchestrator writes (electron/core/brain/records.ts), grouped as a reviewer looks for them. */
export const AUDIT_KINDS = {
  overrides: ['emergency_unlock', 'token_reset', 'trust_threshold', 'breaker_reset', 'resync', 'resnapshot'],
  failures: [
    'panic',
    'quarantine',
    'quarantine_lifted',
    'breaker_open',
    'rollback',
    'drift_semantic',
    'drift_structural',
    'drift_numeric',
    'trust_penalty',
  ],
  decisions: ['approve', 'reject', 'proposal', 'proposal_failed', 'proposal_blocked', 'snapshot'],
} as const;
