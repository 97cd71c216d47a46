// Classifies one incoming WebSocket frame: strict JSON, then the wire schema. Every refusal is a
// typed VibeSyncError carrying the offending message id when one can be read.
import type { z } from 'zod';
import { mutationRangeProblem, sceneRangeProblem } from '../../../shared/canonical/ranges.js';
import { AdapterMessage, PROTOCOL_VERSION, VibeSyncError, parseStrictJson } from '../../../shared/protocol/index.js';

/** A refusal carries the frame's `type` when it could be read (a string), so callers can tell a snapshot. */
export type FrameResult = { ok: true; msg: AdapterMessage } | { ok: false; error: VibeSyncError; ref: string | null; type: string | null };

type Issue = z.core.$ZodIssue;

function hasUnknownKey(issues: readonly Issue[]): Issue | null {
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') return issue;
    if (issue.code === 'invalid_union') {
      for (const branch of issue.errors) {
        const found = hasUnknownKey(branch);
        if (found) return found;
      }
    }
  }
  return null;
}

const pathText = (path: readonly PropertyKey[]) => (path.length ? path.map(String).join('.') : '$');

function typeOf(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const t = (value as Record<string, unknown>).type;
  return typeof t === 'string' ? t.slice(0, 64) : null;
}

/** Why the canonical form cannot hold a number this message carries (Numerical Error), or null. */
function rangeProblem(msg: AdapterMessage): string | null {
  switch (msg.type) {
    case 'mutation':
      return mutationRangeProblem(msg.body.mutation, 'body.mutation');
    case 'batch': {
      const list = msg.body.mutations;
      for (let i = 0; i < list.length; i++) {
        const p = mutationRangeProblem(list[i]!, `body.mutations[${i}]`);
        if (p) return p;
      }
      return null;
    }
    case 'snapshot':
      return sceneRangeProblem(msg.body.scene);
    case 'proposal':
      return msg.body.kind === 'edit' ? mutationRangeProblem(msg.body.mutation, 'body.mutation') : null;
    default:
      return null;
  }
}

function refOf(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const id = (value as Record<string, unknown>).id;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : null;
}

/**
 * The envelope id of a frame the strict parser refused for a duplicate key, a `__proto__` key, a
 * non-finite number (1e999) or depth, so the error can name it: read by the built-in parser (last
 * duplicate wins, 1e999 is Infinity, and V8's parser is not recursive). Never used as data.
 */
function lenientRef(text: string): string | null {
  try {
    return refOf(JSON.parse(text));
  } catch {
    return null; // NaN or Infinity as bare words: not JSON at all
  }
}

/** Decodes a text frame into a schema-valid AdapterMessage, or the precise reason it is not one. */
export function decodeFrame(text: string): FrameResult {
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch (e) {
    const error = e instanceof VibeSyncError ? e : new VibeSyncError('MALFORMED_JSON', String(e));
    return { ok: false, error, ref: error.code === 'MALFORMED_JSON' ? null : lenientRef(text), type: null };
  }
  const ref = refOf(value);
  const type = typeOf(value);
  const parsed = AdapterMessage.safeParse(value);
  if (parsed.success) {
    const problem = rangeProblem(parsed.data);
    return problem ? { ok: false, ref, type, error: new VibeSyncError('NON_FINITE', problem) } : { ok: true, msg: parsed.data };
  }

  const issues = parsed.error.issues;
  const v = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { v?: unknown }).v : undefined;
  if (v !== undefined && v !== PROTOCOL_VERSION) {
    return {
      ok: false,
      ref,
      type,
      error: new VibeSyncError(
        'PROTOCOL_VERSION',
        `protocol version ${JSON.stringify(v)} is not supported; this orchestrator speaks v${PROTOCOL_VERSION}`,
      ),
    };
  }
  const unknown = hasUnknownKey(issues);
  if (unknown && unknown.code === 'unrecognized_keys') {
    return {
      ok: false,
      ref,
      type,
      error: new VibeSyncError('UNKNOWN_FIELD', `unknown field(s) ${unknown.keys.join(', ')} at ${pathText(unknown.path)}`, {
        path: unknown.path.map(String),
        keys: unknown.keys,
      }),
    };
  }
  const first = issues[0]!;
  return {
    ok: false,
    ref,
    type,
    error: new VibeSyncError('SCHEMA_VIOLATION', `${pathText(first.path)}: ${first.message}`, { path: first.path.map(String) }),
  };
}
