import { describe, expect, it } from 'vitest';
import { AdapterMessage, OrchestratorMessage } from './messages.js';
import { cube } from '../../scripts/golden-inputs.js';

const env = { v: 1, id: 'm1', session: 's1', gen: 0, ts: 1 };

describe('wire protocol', () => {
  it('accepts a well-formed batch of mutations', () => {
    const msg = {
      ...env,
      type: 'batch',
      body: {
        mutations: [{ mid: 'x', targets: ['unity-1'], op: 'set_transform', objectId: 'obj-cube', transform: { position: [1, 2, 3] } }],
      },
    };
    expect(AdapterMessage.safeParse(msg).success).toBe(true);
  });
  it('treats an unknown field anywhere as a violation (strict objects)', () => {
    const bad = {
      ...env,
      type: 'snapshot',
      body: { reason: 'initial', hash: 'a'.repeat(64), scene: { objects: [{ ...cube, extra: 1 }], materials: [] } },
    };
    const r = AdapterMessage.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.code).toBe('unrecognized_keys');
    expect(AdapterMessage.safeParse({ ...env, type: 'heartbeat', body: { seq: 1 }, extra: true }).success).toBe(false);
  });
  it('refuses a mutation with no target (routing is explicit)', () => {
    const msg = { ...env, type: 'mutation', body: { mutation: { mid: 'x', targets: [], op: 'delete', objectId: 'a' } } };
    expect(AdapterMessage.safeParse(msg).success).toBe(false);
  });
  it('refuses reserved ids that could pollute a prototype', () => {
    const msg = { ...env, type: 'mutation', body: { mutation: { mid: 'x', targets: ['t'], op: 'delete', objectId: '__proto__' } } };
    expect(AdapterMessage.safeParse(msg).success).toBe(false);
  });
  it('keeps the two directions apart: a client cannot send tx_commit', () => {
    const msg = { ...env, type: 'tx_commit', body: { txId: 't' } };
    expect(AdapterMessage.safeParse(msg).success).toBe(false);
    expect(OrchestratorMessage.safeParse(msg).success).toBe(true);
  });
});

describe('golden examples: agents read the scene (issue 13)', () => {
  it('scene_request and scene_page round-trip through the schema', () => {
    const req = { ...env, type: 'scene_request', body: { objectIds: null, cursor: null, limit: 100 } };
    expect(AdapterMessage.safeParse(req).success).toBe(true);
    const page = {
      ...env,
      type: 'scene_page',
      body: {
        ref: 'm1',
        seq: 42,
        total: 1,
        objects: [{ object: cube, state: 'PENDING' }],
        materials: [],
        missing: [],
        engines: [{ name: 'unity', roles: ['target'] }],
        nextCursor: null,
      },
    };
    expect(OrchestratorMessage.safeParse(page).success).toBe(true);
    expect(OrchestratorMessage.safeParse({ ...page, body: { ...page.body, objects: [{ object: cube, state: 'MAYBE' }] } }).success).toBe(
      false,
    );
    expect(AdapterMessage.safeParse({ ...req, body: { ...req.body, limit: 0 } }).success).toBe(false);
    expect(AdapterMessage.safeParse({ ...req, body: { ...req.body, limit: 1001 } }).success).toBe(false);
  });
});
