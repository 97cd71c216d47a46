// The rows of failure-modes.md the brain raises, with what a person must do about each.
import type { PanicView } from '../../../shared/ipc/index.js';

export const FAILURES = {
  generationDrift: { failure: 'Generation Drift', action: 'Engine reloaded without a handshake. Its hierarchy is LOCKED: reset its token (lead) and reconnect it, or use emergency unlock.' },
  contractViolation: { failure: 'Contract Violation', action: 'The adapter sent malformed or illegal data; its token is revoked. Fix the adapter, then reset its token (lead).' },
  securityBreach: { failure: 'Security Breach', action: 'A blocked code pattern was proposed; the agent is quarantined. Review the audit log, then reset its token (lead).' },
  deadlock: { failure: 'Deadlock', action: 'Heartbeat timeout: the circuit breaker is open and the engine pipeline halted. Check the engine, then reset the breaker (lead).' },
  walCorrupt: { failure: 'Orchestrator Crash', action: 'The write-ahead log could not be replayed. Inspect the data folder; emergency unlock starts from an empty log (state may be lost).' },
} as const;
export type FailureKey = keyof typeof FAILURES;

export function panicView(key: FailureKey, cause: string, engine: string | null, at: number): PanicView {
  return { ...FAILURES[key], cause, engine, at };
}
