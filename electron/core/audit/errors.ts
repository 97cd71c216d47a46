// Typed failures of the audit log.
export class AuditCorruptionError extends Error {
  readonly code = 'AUDIT_CORRUPT' as const;
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`AUDIT_CORRUPT: ${file} at byte ${offset}: ${reason}; run \`vibesync audit verify\` for the first broken entry`);
    this.name = 'AuditCorruptionError';
  }
}

/** A write or fsync failed: the file state is unknown, so the log refuses all further writes. */
export class AuditWriteError extends Error {
  readonly code = 'AUDIT_WRITE_FAILED' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(`AUDIT_WRITE_FAILED: ${message}`, options);
    this.name = 'AuditWriteError';
  }
}
