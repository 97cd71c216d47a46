// Typed failures of the durable log. Corruption is terminal: the brain turns it into PANIC and a
// human decides; the WAL never skips a damaged record to keep going.
export class WalCorruptionError extends Error {
  readonly code = 'WAL_CORRUPT' as const;
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`WAL_CORRUPT: ${file} at byte ${offset}: ${reason}`);
    this.name = 'WalCorruptionError';
  }
}

/** A write or fsync failed. The file state is unknown afterwards, so the log refuses all further writes. */
export class WalWriteError extends Error {
  readonly code = 'WAL_WRITE_FAILED' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(`WAL_WRITE_FAILED: ${message}`, options);
    this.name = 'WalWriteError';
  }
}
