// The audit log (docs/architecture.md, "Audit log"): append-only, hash-chained, durable segments
// under <data>/audit/, searched and paged from disk.
export { AuditStore, DEFAULT_SEGMENT_BYTES, type AuditInput, type AuditPage, type AuditQuery, type AuditStats } from './store.js';
export { GENESIS, hashEntry, type StoredAuditEntry } from './chain.js';
export { AuditCorruptionError, AuditWriteError } from './errors.js';
export { verifyAuditDir, type VerifyResult } from './verify.js';
