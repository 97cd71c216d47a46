// The adapter wire protocol: one versioned envelope, a discriminated union of message kinds.
// Every object is strict: an unknown field anywhere is a contract violation.
import { z } from 'zod';
import { ErrorCode } from './errors.js';
import { Mutation } from './mutation.js';
import { EngineName, Hex64, LIMITS, Material, ObjectId, Scene, SceneObject } from './scene.js';

export const PROTOCOL_VERSION = 1 as const;

export const Role = z.enum(['source', 'target', 'agent']);
export type Role = z.infer<typeof Role>;

const envelope = {
  v: z.literal(PROTOCOL_VERSION),
  id: z.string().min(1).max(64),
  /** Assigned by the orchestrator in `welcome`; null only on `handshake`. */
  session: z.string().max(64).nullable(),
  /** The adapter's generation: bumped on every engine reload, declared at handshake. */
  gen: z.number().int().nonnegative(),
  ts: z.number().int().nonnegative(),
};
const msg = <T extends string, B extends z.ZodType>(type: T, body: B) => z.strictObject({ ...envelope, type: z.literal(type), body });

const TxId = z.string().min(1).max(64);

// ---- adapter / agent → orchestrator ----
export const Handshake = msg(
  'handshake',
  z.strictObject({
    token: z.string().min(16).max(256),
    name: EngineName,
    engine: z.strictObject({ kind: z.string().min(1).max(32), version: z.string().max(64) }),
    roles: z.array(Role).min(1).max(3),
    capabilities: z.array(z.string().max(64)).max(64),
    generation: z.number().int().nonnegative(),
  }),
);
export const Heartbeat = msg('heartbeat', z.strictObject({ seq: z.number().int().nonnegative() }));
export const SnapshotMsg = msg(
  'snapshot',
  z.strictObject({
    reason: z.enum(['initial', 'requested', 'resync']),
    scene: Scene,
    hash: Hex64,
  }),
);
export const MutationMsg = msg('mutation', z.strictObject({ mutation: Mutation }));
export const BatchMsg = msg('batch', z.strictObject({ mutations: z.array(Mutation).min(1).max(LIMITS.maxBatch) }));
export const TxHash = msg('tx_hash', z.strictObject({ txId: TxId, hash: Hex64 }));
export const TxDone = msg('tx_done', z.strictObject({ txId: TxId, outcome: z.enum(['committed', 'rolled_back', 'purged']) }));
export const Busy = msg(
  'busy',
  z.strictObject({
    reason: z.enum(['compiling', 'loading', 'reloading', 'undo', 'other']),
    expectedMs: z.number().int().nonnegative().max(600_000),
  }),
);
export const Ready = msg('ready', z.strictObject({}));
export const Proposal = msg(
  'proposal',
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('edit'), pid: z.string().min(1).max(64), rationale: z.string().max(2000), mutation: Mutation }),
    z.strictObject({
      kind: z.literal('script'),
      pid: z.string().min(1).max(64),
      rationale: z.string().max(2000),
      language: z.literal('python'),
      code: z.string().max(LIMITS.maxScriptBytes),
      targets: z.array(EngineName).min(1).max(LIMITS.maxTargets),
      touches: z.array(ObjectId).max(10_000),
    }),
  ]),
);
/**
 * agent: reads the orchestrator's authoritative scene, one page at a time (never changes state).
 * `objectIds` null reads everything (objects by id, then materials by id); `cursor` is the previous
 * page's `nextCursor` (null for the first page).
 */
export const SceneRequest = msg(
  'scene_request',
  z.strictObject({
    objectIds: z.array(ObjectId).max(1000).nullable(),
    cursor: z.string().max(256).nullable(),
    limit: z.number().int().positive().max(1000),
  }),
);
/** agent: asks the orchestrator's script scanner for its verdict on `code`; nothing is recorded, nothing panics. */
export const ScriptCheck = msg(
  'script_check',
  z.strictObject({ language: z.literal('python'), code: z.string().max(LIMITS.maxScriptBytes) }),
);
/** One content-addressed blob: its SHA-256, what it holds, its size in bytes (docs/protocol.md "Blobs"). */
export const BlobKind = z.enum(['mesh', 'texture']);
export const BlobRef = z.strictObject({
  hash: Hex64,
  kind: BlobKind,
  size: z
    .number()
    .int()
    .nonnegative()
    .max(2 ** 40),
});
/** engine: which of these blobs does the orchestrator lack? Answered by `blob_need`. */
export const BlobQuery = msg('blob_query', z.strictObject({ blobs: z.array(BlobRef).min(1).max(4096) }));
export const ErrorMsg = msg(
  'error',
  z.strictObject({
    code: ErrorCode,
    message: z.string().max(2000),
    ref: z.string().max(64).nullable(),
    txId: TxId.nullable(),
  }),
);

// ---- orchestrator → adapter / agent ----
export const Welcome = msg(
  'welcome',
  z.strictObject({
    name: EngineName,
    heartbeatMs: z.number().int().positive(),
    heartbeatTimeoutMs: z.number().int().positive(),
    /**
     * The capabilities the orchestrator grants out of those the handshake asked for (today only
     * `live`, docs/protocol.md "Live lane"). Sent only to an engine that asked for one it grants,
     * so an adapter that never asks never sees the field.
     */
    capabilities: z.array(z.string().max(64)).max(64).optional(),
  }),
);
export const Ack = msg(
  'ack',
  z.strictObject({ ref: z.string().max(64), seq: z.number().int().nonnegative(), count: z.number().int().positive() }),
);
export const TxBegin = msg(
  'tx_begin',
  z.strictObject({
    txId: TxId,
    source: z.string().max(64),
    mutations: z.array(Mutation).min(1).max(LIMITS.maxBatch),
    /**
     * Only to a target granted `live`, on a transaction that settles live values: the last live
     * frame (the orchestrator's numbering for this target) sent before these values were written.
     * An object the target has since applied a later live frame to keeps that frame's transform.
     */
    liveFrame: z.number().int().nonnegative().max(0xffff_ffff).optional(),
  }),
);
export const TxCommit = msg('tx_commit', z.strictObject({ txId: TxId }));
export const TxRollback = msg('tx_rollback', z.strictObject({ txId: TxId, reason: z.string().max(500) }));
export const TxPurge = msg('tx_purge', z.strictObject({ txId: TxId, reason: z.string().max(500) }));
export const Resync = msg('resync', z.strictObject({ reason: z.string().max(500), scene: Scene, hash: Hex64 }));
export const SnapshotRequest = msg(
  'snapshot_request',
  z.strictObject({ reason: z.string().max(500), objectIds: z.array(ObjectId).nullable() }),
);
export const RollbackBroadcast = msg('rollback_broadcast', z.strictObject({ txId: TxId, reason: z.string().max(500) }));
/** Answers `blob_query` `ref`: send these blobs (binary chunk frames); the others are held already or refused. */
export const BlobNeed = msg('blob_need', z.strictObject({ ref: z.string().max(64), need: z.array(Hex64).max(4096) }));
/** A blob sent by an engine arrived whole, matched its hash and is durable: it may now be referenced. */
export const BlobStored = msg('blob_stored', z.strictObject({ hash: Hex64, size: z.number().int().nonnegative() }));
/**
 * The source's live frames up to `frame` (its own numbering) are durable in the WAL at `seq`:
 * `count` transforms were written as ordinary mutations and sent to the targets as a transaction.
 */
export const LiveSettled = msg(
  'live_settled',
  z.strictObject({
    frame: z.number().int().nonnegative().max(0xffff_ffff),
    seq: z.number().int().nonnegative(),
    count: z.number().int().positive(),
  }),
);
/** A subject's sync state in the global ID map. */
export const SubjectState = z.enum(['CLEAN', 'PENDING', 'DIRTY', 'LOCKED']);
/** The largest serialized `scene_page` body: pages are bounded in bytes, not only in count. */
export const SCENE_PAGE_MAX_BYTES = 256 * 1024;
/** One page of the scene, answering `scene_request` (`ref` is its id); `seq` is the WAL sequence it reflects. */
export const ScenePage = msg(
  'scene_page',
  z.strictObject({
    ref: z.string().max(64),
    seq: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    objects: z.array(z.strictObject({ object: SceneObject, state: SubjectState })).max(1000),
    materials: z.array(z.strictObject({ material: Material, state: SubjectState })).max(1000),
    /** ids asked for that the scene does not hold (objectIds reads only) */
    missing: z.array(ObjectId).max(1000),
    /** the engines connected now, with their roles: the names an agent may put in `targets` */
    engines: z.array(z.strictObject({ name: EngineName, roles: z.array(Role).max(3) })).max(256),
    nextCursor: z.string().max(256).nullable(),
  }),
);
/** The scanner's verdict on a `script_check` (`ref`): `blocked` is what a `proposal` of it would meet (Security Breach). */
export const ScriptVerdict = msg(
  'script_verdict',
  z.strictObject({
    ref: z.string().max(64),
    blocked: z.boolean(),
    findings: z
      .array(
        z.strictObject({
          rule: z.string().max(64),
          message: z.string().max(500),
          line: z.number().int().nonnegative(),
          column: z.number().int().nonnegative(),
          severity: z.enum(['block', 'warn']),
        }),
      )
      .max(200),
  }),
);
export const ProposalStatus = msg(
  'proposal_status',
  z.strictObject({
    pid: z.string().max(64),
    status: z.enum(['pending', 'approved', 'rejected', 'applied', 'blocked', 'failed']),
    reason: z.string().max(2000),
  }),
);

export const AdapterMessage = z.discriminatedUnion('type', [
  Handshake,
  Heartbeat,
  SnapshotMsg,
  MutationMsg,
  BatchMsg,
  TxHash,
  TxDone,
  Busy,
  Ready,
  Proposal,
  SceneRequest,
  ScriptCheck,
  BlobQuery,
  ErrorMsg,
]);
export type AdapterMessage = z.infer<typeof AdapterMessage>;

export const OrchestratorMessage = z.discriminatedUnion('type', [
  Welcome,
  Ack,
  TxBegin,
  TxCommit,
  TxRollback,
  TxPurge,
  Resync,
  SnapshotRequest,
  RollbackBroadcast,
  ProposalStatus,
  ScenePage,
  ScriptVerdict,
  BlobNeed,
  BlobStored,
  LiveSettled,
  ErrorMsg,
]);
export type OrchestratorMessage = z.infer<typeof OrchestratorMessage>;

export type AdapterMessageType = AdapterMessage['type'];
export type OrchestratorMessageType = OrchestratorMessage['type'];
export type BodyOf<U extends { type: string; body: unknown }, T extends U['type']> = Extract<U, { type: T }>['body'];
