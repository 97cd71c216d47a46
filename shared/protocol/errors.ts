// Typed error codes, grouped by the failure-modes.md row (or the contract check) they belong to.
// docs/failure-modes.md says, row by row, which code is sent to whom; every code listed here is
// either sent by the orchestrator or, where marked, sent by adapters and acted on by it.
import { z } from 'zod';

export const ERROR_CODES = [
  // contract (Contract Violation → PANIC, token revoked)
  'MALFORMED_JSON',
  'UNKNOWN_FIELD',
  'DUPLICATE_KEY',
  'PROTO_KEY',
  'SCHEMA_VIOLATION',
  'TOO_DEEP',
  // transport / auth (connection refused, no state change)
  'TOO_LARGE',
  'AUTH_FAILED',
  'ORIGIN_REJECTED',
  'NOT_HANDSHAKEN',
  'FORBIDDEN_ROLE',
  'NAME_IN_USE',
  'PROTOCOL_VERSION',
  // terminal: sent to the engine that caused the row (GENERATION_DRIFT before its session is closed,
  // SECURITY_BLOCKED to the agent, HEARTBEAT_TIMEOUT when its breaker opens); PANIC to anyone refused meanwhile
  'GENERATION_DRIFT',
  'SECURITY_BLOCKED',
  'PANIC',
  'HEARTBEAT_TIMEOUT',
  // control contract (people): emergency unlock asked for while nothing is in PANIC
  'NOT_IN_PANIC',
  // trust
  'RATE_LIMITED',
  'QUARANTINED',
  'CIRCUIT_OPEN',
  // recoverable
  'NON_FINITE',
  'RESOURCE_LIMIT',
  'HASH_MISMATCH',
  'ENGINE_BUSY',
  'BRANCH_DIRTY',
  'OBJECT_LOCKED',
  // proposals: a pid re-sent with other content; too many pending proposals from one agent (costs trust)
  'PID_CONFLICT',
  'PENDING_LIMIT',
  // routing / semantics; adapters send TRANSIENT, SOURCE_FAILED (Source failure), TARGET_FAILED (import failed)
  'UNKNOWN_TARGET',
  'UNKNOWN_OBJECT',
  'UNKNOWN_TX',
  'FORBIDDEN_PATH',
  'TRANSIENT',
  'SOURCE_FAILED',
  'TARGET_FAILED',
  'INTERNAL',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * A typed failure raised anywhere in the core; carried to peers as an `error` message. `message`
 * is "CODE: reason" for logs and stack traces; `reason` is the text alone, for anything that shows
 * the code beside it (an `error` body, a PANIC cause), so the code is never written twice.
 */
export class VibeSyncError extends Error {
  readonly reason: string;
  constructor(
    readonly code: ErrorCode,
    reason: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'VibeSyncError';
    this.reason = reason;
  }
}
