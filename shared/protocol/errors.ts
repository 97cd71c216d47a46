// Typed error codes. Each one maps to exactly one row of failure-modes.md (see docs/protocol.md).
import { z } from 'zod';

export const ERROR_CODES = [
  // contract (Contract Violation → PANIC, token revoked)
  'MALFORMED_JSON', 'UNKNOWN_FIELD', 'DUPLICATE_KEY', 'PROTO_KEY', 'SCHEMA_VIOLATION', 'TOO_DEEP',
  // transport / auth (connection refused, no state change)
  'TOO_LARGE', 'AUTH_FAILED', 'ORIGIN_REJECTED', 'NOT_HANDSHAKEN', 'FORBIDDEN_ROLE', 'NAME_IN_USE', 'PROTOCOL_VERSION',
  // terminal
  'GENERATION_DRIFT', 'SECURITY_BLOCKED', 'PANIC', 'HEARTBEAT_TIMEOUT',
  // trust
  'RATE_LIMITED', 'QUARANTINED', 'CIRCUIT_OPEN',
  // recoverable
  'NON_FINITE', 'RESOURCE_LIMIT', 'HASH_MISMATCH', 'ENGINE_BUSY', 'BRANCH_DIRTY', 'OBJECT_LOCKED',
  // routing / semantics
  'UNKNOWN_TARGET', 'UNKNOWN_OBJECT', 'UNKNOWN_TX', 'FORBIDDEN_PATH', 'TRANSIENT', 'SOURCE_FAILED', 'TARGET_FAILED', 'INTERNAL',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** A typed failure raised anywhere in the core; carried to peers as an `error` message. */
export class VibeSyncError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly detail?: Record<string, unknown>) {
    super(`${code}: ${message}`);
    this.name = 'VibeSyncError';
  }
}
