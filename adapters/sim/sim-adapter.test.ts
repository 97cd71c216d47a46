import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import type { Mutation } from '../../shared/protocol/index.js';
import { TokenStore } from '../../electron/core/auth/tokens.js';
import { ManualClock } from '../../test/support/manual-clock.js';
import { createAdapterServer, type AdapterServer } from '../../electron/core/transport/adapter-server.js';
import { RecordingBrain } from '../../test/support/recording-brain.js';
import type { PeerSession } from '../../electron/core/transport/types.js';
import { generateScene } from './scene-gen.js';
import { SimAdapter, type SimOptions } from './sim-adapter.js';
import { SimScene } from './sim-scene.js';

/**
 * A stand-in brain for these tests only: acks what sources send, forwards it to the named
 * targets as transactions, and commits when the target's hash matches its own expectation.
 */
class RelayBrain extends RecordingBrain {
  readonly peers = new Map<string, PeerSession>();
  readonly truth = new SimScene(generateScene(20, 1));
  readonly outcomes: Array<{ txId: string; outcome: 'commit' | 'rollback' }> = [];
  private expected = new Map<string, string>();
  private tx = 0;

  override connected(peer: PeerSession) {
    super.connected(peer);
    this.peers.set(peer.name, peer);
  }
  override disconnected(peer: PeerSession, code: number) {
    super.disconnected(peer, code);
    this.peers.delete(peer.name);
  }
  override message(peer: PeerSession, msg: Parameters<RecordingBrain['message']>[1]) {
    super.message(peer, msg);
    if (msg.type === 'batch' || msg.type === 'mutation') {
      const mutations: Mutation[] = msg.type === 'batch' ? msg.body.mutations : [msg.body.mutation];
      peer.send('ack', { ref: msg.id, seq: ++this.tx, count: mutations.length });
      for (const target of new Set(mutations.flatMap((m) => m.targets))) {
        const txId = `tx-${this.tx}-${target}`;
        this.expected.set(txId, hashing.txHash(this.truth.begin(txId, mutations)));
        this.peers.get(target)?.send('tx_begin', { txId, source: peer.name, mutations });
      }
    }
    if (msg.type === 'tx_hash') {
      const ok = this.expected.get(msg.body.txId) === msg.body.hash;
      this.outcomes.push({ txId: msg.body.txId, outcome: ok ? 'commit' : 'rollback' });
      if (ok) {
        this.truth.commit(msg.body.txId);
        peer.send('tx_commit', { txId: msg.body.txId });
      } else {
        this.truth.discard(msg.body.txId);
        peer.send('tx_rollback', { txId: msg.body.txId, reason: 'hash mismatch' });
      }
    }
  }
}

let dir: string;
let http: Server;
let adapter: AdapterServer;
let brain: RelayBrain;
let tokens: TokenStore;
let clock: ManualClock;
let url: string;
const sims: SimAdapter[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vs-sim-'));
  tokens = new TokenStore(dir);
  brain = new RelayBrain();
  clock = new ManualClock();
  adapter = createAdapterServer({ brain, tokens, clock, logger: pino({ level: 'silent' }) });
  http = createServer();
  http.on('upgrade', (req, socket, head) => adapter.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/adapter`;
});
afterEach(async () => {
  for (const s of sims.splice(0)) s.crash();
  await adapter.close();
  await new Promise((r) => http.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function sim(name: string, over: Partial<SimOptions>): SimAdapter {
  const s = new SimAdapter({
    url,
    token: tokens.issue('adapter', name).token,
    name,
    roles: ['target'],
    objects: 20,
    seed: 1,
    clock,
    geometry: false, // the stand-in brain keeps no blobs (blob traffic: electron/core/blobs/blobs-transfer.test.ts)
    ...over,
  });
  sims.push(s);
  return s;
}

describe('SimAdapter', () => {
  it('generates the same scene (and hash) from the same seed, a different one from another seed', () => {
    expect(hashing.sceneHash(generateScene(50, 7))).toBe(hashing.sceneHash(generateScene(50, 7)));
    expect(hashing.sceneHash(generateScene(50, 7))).not.toBe(hashing.sceneHash(generateScene(50, 8)));
    expect(generateScene(50, 7).objects).toHaveLength(50);
  });

  it('a source sends its initial snapshot with the hash of its scene', async () => {
    const source = sim('blender', { roles: ['source'] });
    await source.connect();
    await source.until(() => brain.of('message').some((c) => c.msg.type === 'snapshot'), 'snapshot');
    const snap = brain.of('message').find((c) => c.msg.type === 'snapshot')!.msg;
    expect(snap.type === 'snapshot' && snap.body).toMatchObject({ reason: 'initial', hash: source.sceneHash });
  });

  it('streams source mutations that a target applies, hashes and commits: both end with the same scene', async () => {
    const target = sim('unity', { roles: ['target'] });
    const source = sim('blender', { roles: ['source'], targets: ['unity'], moving: 5 });
    await target.connect();
    await source.connect();
    const before = target.sceneHash;
    expect(source.sceneHash).toBe(before);
    for (let i = 0; i < 3; i++) {
      source.streamFrame();
      await target.until(() => target.committed === i + 1, `commit ${i + 1}`);
    }
    await source.until(() => source.stats.acked === 3, 'acks');
    expect(source.stats.ackLatencyMs).toHaveLength(3);
    expect(brain.outcomes.every((o) => o.outcome === 'commit')).toBe(true);
    expect(target.sceneHash).not.toBe(before);
    expect(target.sceneHash).toBe(source.sceneHash);
    expect(target.received.filter((m) => m.type === 'tx_begin')).toHaveLength(3);
  });

  it('unbatched: one mutation message per change', async () => {
    const target = sim('unity', { roles: ['target'] });
    const source = sim('blender', { roles: ['source'], targets: ['unity'], moving: 4, batched: false });
    await target.connect();
    await source.connect();
    source.streamFrame();
    await target.until(() => target.committed === 4, '4 commits');
    expect(target.sceneHash).toBe(source.sceneHash);
  });

  it('streams on its own at the given rate with the injected clock, and stops after `frames`', async () => {
    const target = sim('unity', { roles: ['target'] });
    const source = sim('blender', { roles: ['source'], targets: ['unity'], rate: 10, frames: 4, moving: 2 });
    await target.connect();
    await source.connect();
    clock.advance(1000);
    await target.until(() => target.committed === 4, '4 frames committed');
    expect(source.stats.mutationsSent).toBe(8);
    expect(target.sceneHash).toBe(source.sceneHash);
  });

  it('hash-mismatch scenario: the target reports a wrong hash, is rolled back and keeps its old scene', async () => {
    const target = sim('unity', { roles: ['target'], scenario: 'hash-mismatch' });
    const source = sim('blender', { roles: ['source'], targets: ['unity'] });
    await target.connect();
    await source.connect();
    const before = target.sceneHash;
    source.streamFrame();
    await target.until(() => target.stats.rolledBack === 1, 'rollback');
    expect(brain.outcomes).toEqual([{ txId: expect.any(String), outcome: 'rollback' }]);
    expect(target.sceneHash).toBe(before);
    expect(target.received.at(-1)?.type).toBe('tx_rollback');
  });

  it('answers tx_purge with tx_done purged and discards the sandbox', async () => {
    const target = sim('unity', { roles: ['target'] });
    await target.connect();
    const peer = brain.peers.get('unity')!;
    const before = target.sceneHash;
    peer.send('tx_begin', {
      txId: 'tx-p',
      source: 'blender',
      mutations: [{ mid: 'm1', targets: ['unity'], op: 'delete', objectId: 'obj_3' }],
    });
    await target.until(() => brain.of('message').some((c) => c.msg.type === 'tx_hash'), 'tx_hash');
    peer.send('tx_purge', { txId: 'tx-p', reason: 'source crashed' });
    await target.until(() => target.stats.purged === 1, 'purge');
    await target.until(() => brain.of('message').some((c) => c.msg.type === 'tx_done' && c.msg.body.outcome === 'purged'), 'tx_done');
    expect(target.sceneHash).toBe(before);
  });

  it('replaces its scene on resync and answers snapshot_request with a requested snapshot', async () => {
    const target = sim('unity', { roles: ['target'] });
    await target.connect();
    const peer = brain.peers.get('unity')!;
    const good = generateScene(5, 99);
    peer.send('resync', { reason: 'brain > limb', scene: good, hash: hashing.sceneHash(good) });
    await target.waitFor('resync');
    expect(target.sceneHash).toBe(hashing.sceneHash(good));
    peer.send('snapshot_request', { reason: 'after mismatch', objectIds: null });
    await target.until(() => brain.of('message').some((c) => c.msg.type === 'snapshot'), 'snapshot');
    const snap = brain.of('message').find((c) => c.msg.type === 'snapshot')!.msg;
    expect(snap.type === 'snapshot' && snap.body.reason).toBe('requested');
    expect(snap.type === 'snapshot' && snap.body.hash).toBe(hashing.sceneHash(good));
  });

  it('heartbeats every heartbeatMs on the injected clock; the silent scenario never does', async () => {
    const live = sim('unity', { roles: ['target'] });
    const silent = sim('godot', { roles: ['target'], scenario: 'silent' });
    await live.connect();
    await silent.connect();
    clock.advance(3000);
    const beats = (name: string) => brain.of('message').filter((c) => c.peer.name === name && c.msg.type === 'heartbeat').length;
    await live.until(() => beats('unity') === 3, '3 heartbeats');
    expect(beats('godot')).toBe(0);
  });

  it('malformed scenario: its broken frame is answered with MALFORMED_JSON', async () => {
    const bad = sim('unity', { roles: ['target'], scenario: 'malformed' });
    await bad.connect();
    const err = await bad.waitFor('error');
    expect(err.body.code).toBe('MALFORMED_JSON');
    expect(brain.of('protocolError')[0]?.code).toBe('MALFORMED_JSON');
  });

  it('busy scenario: announces busy after the handshake and ready when the injected clock has moved 3 s', async () => {
    const s = sim('unity', { roles: ['target'], scenario: 'busy' });
    await s.connect();
    const types = () =>
      brain
        .of('message')
        .filter((c) => c.peer.name === 'unity')
        .map((c) => c.msg.type)
        .filter((t) => t !== 'heartbeat');
    await s.until(() => types().includes('busy'), 'busy');
    expect(types()).not.toContain('ready');
    clock.advance(3000);
    await s.until(() => types().includes('ready'), 'ready');
  });

  it('generation-drift scenario: from frame 5 on the envelope carries gen + 1 without a handshake', async () => {
    const target = sim('unity', { roles: ['target'] });
    const source = sim('blender', { roles: ['source'], targets: ['unity'], scenario: 'generation-drift', generation: 7 });
    await target.connect();
    await source.connect();
    for (let i = 0; i < 5; i++) source.streamFrame();
    await source.until(() => brain.of('message').filter((c) => c.msg.type === 'batch').length === 5, '5 batches');
    const gens = brain
      .of('message')
      .filter((c) => c.msg.type === 'batch')
      .map((c) => c.msg.gen);
    expect(gens).toEqual([7, 7, 7, 7, 8]);
    expect(brain.of('connected').find((c) => c.peer.name === 'blender')!.peer.generation).toBe(7);
  });

  it('crash-mid-export scenario: the source vanishes without a close frame in frame 3', async () => {
    const target = sim('unity', { roles: ['target'] });
    const source = sim('blender', { roles: ['source'], targets: ['unity'], scenario: 'crash-mid-export' });
    await target.connect();
    await source.connect();
    source.streamFrame();
    source.streamFrame();
    source.streamFrame();
    await source.until(() => brain.of('disconnected').some((c) => c.peer.name === 'blender'), 'disconnect seen by the brain');
    expect(brain.of('disconnected').find((c) => c.peer.name === 'blender')!.code).toBe(1006);
    expect(brain.of('message').filter((c) => c.msg.type === 'batch')).toHaveLength(2);
  });

  it('an agent records the status the orchestrator sends for its proposal', async () => {
    const agent = new SimAdapter({ url, token: tokens.issue('agent', 'claude').token, name: 'claude', roles: ['agent'], clock });
    sims.push(agent);
    await agent.connect();
    const pid = agent.proposeEdit({
      mid: 'a1',
      targets: ['unity'],
      op: 'set_transform',
      objectId: 'obj_1',
      transform: { position: [0, 1, 0] },
    });
    await agent.until(() => brain.of('message').some((c) => c.msg.type === 'proposal'), 'proposal');
    brain.peers.get('claude')!.send('proposal_status', { pid, status: 'pending', reason: 'waiting for a reviewer' });
    await agent.until(() => agent.proposals.get(pid)?.status === 'pending', 'pending status');
  });

  it('rejects connect() with the typed refusal on a bad token', async () => {
    const s = new SimAdapter({ url, token: 'vs_adapter_' + 'x'.repeat(43), name: 'nobody', roles: ['target'], clock });
    sims.push(s);
    await expect(s.connect()).rejects.toThrow(/AUTH_FAILED/);
  });
});
