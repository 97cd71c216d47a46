// What a Brain is built from (BrainDeps), and the environment its parts share (BrainEnv: clock,
// logger, configuration, resource limits, hashing, jitter, and the blob service when blobs are kept),
// made from them. brain.ts wires the parts to it.
import { createHash } from 'node:crypto';
import { makeHashing } from '../../../shared/canonical/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { DurableLog } from '../wal/types.js';
import type { PeerSession } from '../transport/types.js';
import { BlobService, type RefusalCode } from '../blobs/service.js';
import type { BlobStore } from '../blobs/store.js';
import type { BrainConfig } from './config.js';
import type { ScriptRunner } from '../scripts/dry-run.js';
import type { AuditSink, BrainEnv, BrainTokens, Logger, ScriptScanner } from './context.js';
import { DEFAULT_LIMITS, type ResourceLimits } from './scene-model.js';

const silent: Logger = { info() {}, warn() {}, error() {} };

export interface BrainDeps {
  log: DurableLog;
  clock: Clock;
  logger?: Logger;
  limits?: Partial<ResourceLimits>;
  config?: Partial<BrainConfig>;
  tokens?: BrainTokens;
  scanner?: ScriptScanner;
  /** the script sandbox (electron/core/scripts/sandbox.ts): without one, script proposals fail */
  sandbox?: ScriptRunner;
  /** jitter source for retry back-offs (tests pin it) */
  random?: () => number;
  /** what emergency unlock does about an unreadable WAL: sets it aside and opens a fresh log */
  reopenLog?: () => Promise<DurableLog>;
  /** content-addressed blob storage (docs/protocol.md "Blobs"); absent: binary frames are refused */
  blobStore?: BlobStore;
  /** the largest blob accepted, bytes (Resource Limit; default DEFAULT_BLOB_LIMITS); mesh vertices use limits.maxVertices, textures limits.maxTextureSize and limits.maxTextureBytes */
  maxBlobBytes?: number;
  /** how long an unreferenced blob is kept after it was stored (default BLOB_GRACE_MS) */
  blobGraceMs?: number;
  /** the durable, hash-chained audit log (electron/core/audit); without one, only the state's window */
  audit?: AuditSink;
}

/**
 * The parts' shared environment. `refused`: a peer broke a blob rule (a minor violation, which
 * costs trust); called only once the brain is built.
 */
export function brainEnv(
  deps: BrainDeps,
  config: BrainConfig,
  refused: (peer: PeerSession, code: RefusalCode, reason: string) => void,
): { env: BrainEnv; blobs: BlobService | null } {
  const env: BrainEnv = {
    clock: deps.clock,
    logger: deps.logger ?? silent,
    config,
    limits: { ...DEFAULT_LIMITS, ...deps.limits },
    hashing: makeHashing((text) => createHash('sha256').update(text).digest('hex')),
    random: deps.random ?? Math.random,
  };
  const limits = env.limits;
  const blobs = deps.blobStore
    ? new BlobService({
        store: deps.blobStore,
        limits: {
          maxVertices: limits.maxVertices,
          maxTextureSize: limits.maxTextureSize,
          ...(limits.maxTextureBytes !== undefined && { maxTextureBytes: limits.maxTextureBytes }),
          ...(deps.maxBlobBytes !== undefined && { maxBlobBytes: deps.maxBlobBytes }),
        },
        ...(deps.blobGraceMs !== undefined && { graceMs: deps.blobGraceMs }),
        refused,
      })
    : null;
  return { env: blobs ? { ...env, blobs } : env, blobs };
}
