// The rows of failure-modes.md the brain raises, with what a person must do about each.
import type { PanicView } from '../../../shared/ipc/index.js';
import type { ErrorCode } from '../../../shared/protocol/index.js';

export const FAILURES = {
  generationDrift: {
    failure: 'Generation Drift',
    action:
      'The engine reloaded without a handshake; its hierarchy is LOCKED and the orchestrator stays in PANIC until a lead opens it with emergency unlock (typed acknowledgement: state may be lost), which also lets the engine reconnect. A token reset (lead) alone lets it reconnect but leaves the hierarchy LOCKED.',
  },
  contractViolation: {
    failure: 'Contract Violation',
    action: 'The adapter sent malformed or illegal data; its token is revoked. Fix the adapter, then reset its token (lead).',
  },
  securityBreach: {
    failure: 'Security Breach',
    action: 'A blocked code pattern was proposed; the agent is quarantined. Review the audit log, then reset its token (lead).',
  },
  deadlock: {
    failure: 'Deadlock',
    action:
      'Heartbeat timeout: the circuit breaker is open and the engine pipeline halted. Check the engine, then reset the breaker (lead).',
  },
  walCorrupt: {
    failure: 'Orchestrator Crash',
    action:
      'The write-ahead log could not be replayed. Inspect the data folder; emergency unlock starts from an empty log (state may be lost).',
  },
} as const;
export type FailureKey = keyof typeof FAILURES;

/**
 * The rows that halt only the AI agent behind them. A blocked script never ran and a bad frame
 * changed nothing, and an agent originates nothing without a human's approval: what is in doubt is
 * the agent, not the scene, so it is quarantined and cut off while engines keep syncing. The same
 * rows raised by an engine still halt the orchestrator (that engine's data may be wrong).
 */
export const AGENT_SCOPED: Partial<Record<FailureKey, string>> = {
  securityBreach:
    'The agent proposed a script the scanner blocked (it never ran). The agent is quarantined and its token revoked; sync between engines goes on. Review the audit log, then reset its token (lead, Overrides → Token reset).',
  contractViolation:
    'The agent sent malformed or illegal data (nothing in it was accepted). The agent is quarantined and its token revoked; sync between engines goes on. Fix the agent, then reset its token (lead, Overrides → Token reset).',
  generationDrift:
    'The agent sent a message from another generation without a new handshake (it was not accepted). An agent holds no scene of its own, so nothing is locked: the agent is quarantined and its token revoked; sync between engines goes on. Fix the agent, then reset its token (lead, Overrides → Token reset).',
};

/** The typed error the engine behind a row is sent (Contract Violation's comes from the transport). */
export const FAILURE_CODE: Partial<Record<FailureKey, ErrorCode>> = {
  generationDrift: 'GENERATION_DRIFT',
  securityBreach: 'SECURITY_BLOCKED',
  deadlock: 'HEARTBEAT_TIMEOUT',
};

/** What a person must do while a hierarchy stays LOCKED after every engine's PANIC was cleared. */
export const LOCKED_ACTION =
  'The engine may reconnect, but the hierarchy it held stays LOCKED: its state since the failure is unknown. A lead opens it with emergency unlock (typed acknowledgement: state may be lost); until then nothing new is accepted.';

export function panicView(
  key: FailureKey,
  cause: string,
  engine: string | null,
  at: number,
  scope: 'orchestrator' | 'agent' = 'orchestrator',
): PanicView {
  const action = scope === 'agent' ? (AGENT_SCOPED[key] ?? FAILURES[key].action) : FAILURES[key].action;
  return { failure: FAILURES[key].failure, action, cause, engine, at, scope };
}
