import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import { TokenStore } from '../auth/tokens.js';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { CLOSE, createAdapterServer, type AdapterServer, type AdapterServerOptions } from './adapter-server.js';
import { RawClient } from '../../../test/support/raw-client.js';
import { RecordingBrain } from '../../../test/support/recording-brain.js';

let dir: string;
let http: Server;
let adapter: AdapterServer;
let brain: RecordingBrain;
let tokens: TokenStore;
let clock: ManualClock;
let url: string;
const clients: RawClient[] = [];

async function start(extra: Partial<AdapterServerOptions> = {}) {
  adapter = createAdapterServer({
    brain,
    tokens,
    clock,
    logger: pino({ level: 'silent' }),
    allowedOrigins: ['http://127.0.0.1:7420'],
    rateLimit: { perSecond: 100, burst: 100 },
    handshakeTimeoutMs: 3000,
    maxFrameBytes: 64 * 1024,
    maxSnapshotBytes: 256 * 1024,
    maxHandshakeBytes: 8 * 1024,
    ...extra,
  });
  http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => adapter.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/adapter`;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vs-adapter-'));
  tokens = new TokenStore(dir);
  brain = new RecordingBrain();
  clock = new ManualClock();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await adapter.close();
  await new Promise((r) => http.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const handshake = (token: string, over: Record<string, unknown> = {}) => ({
  v: 1,
  id: 'hs-1',
  session: null,
  gen: 3,
  ts: 1,
  type: 'handshake',
  body: {
    token,
    name: 'blender',
    engine: { kind: 'blender', version: '3.4' },
    roles: ['source'],
    capabilities: [],
    generation: 3,
    ...over,
  },
});

async function open(headers: Record<string, string> = {}) {
  const c = await RawClient.open(url, headers);
  clients.push(c);
  return c;
}

/** A handshaken client and the session id it was given. */
async function connected() {
  const c = await open();
  c.send(handshake(tokens.issue('adapter', 'blender').token));
  const welcome = await c.next('welcome');
  return { c, session: welcome.session! };
}

const heartbeat = (session: string | null, over: Record<string, unknown> = {}) => ({
  v: 1,
  id: 'hb-1',
  session,
  gen: 3,
  ts: 2,
  type: 'heartbeat',
  body: { seq: 1 },
  ...over,
});

async function expectError(c: RawClient, code: string, from: number) {
  const err = await c.next('error', from);
  expect(err.body.code).toBe(code);
  return err;
}

describe('adapter server: handshake', () => {
  beforeEach(() => start());

  it('welcomes a valid adapter and tells the brain, with the token identity', async () => {
    const { c, session } = await connected();
    const welcome = c.received[0]!;
    expect(welcome).toMatchObject({
      type: 'welcome',
      v: 1,
      gen: 3,
      body: { name: 'blender', heartbeatMs: 1000, heartbeatTimeoutMs: 10_000 },
    });
    expect(session).toMatch(/^s_/);
    expect(brain.of('admit')[0]!.info).toMatchObject({
      name: 'blender',
      engineKind: 'blender',
      roles: ['source'],
      generation: 3,
      tokenRole: 'adapter',
      tokenName: 'blender',
    });
    expect(brain.of('connected')[0]!.peer.id).toBe(session);
    c.send(heartbeat(session));
    await c.until(() => brain.of('message').length === 1);
    expect(brain.of('message')[0]!.msg).toMatchObject({ type: 'heartbeat', body: { seq: 1 } });
  });

  it('refuses a handshake whose envelope carries a session, or a gen other than body.generation', async () => {
    const token = tokens.issue('adapter', 'blender').token;
    const withSession = await open();
    withSession.send({ ...handshake(token), session: 's_someone' });
    expect((await expectError(withSession, 'SCHEMA_VIOLATION', 0)).body.message).toMatch(/session null/);
    expect((await withSession.waitClosed()).code).toBe(CLOSE.protocol);
    const otherGen = await open();
    otherGen.send({ ...handshake(token), gen: 4 });
    expect((await expectError(otherGen, 'SCHEMA_VIOLATION', 0)).body.message).toMatch(/gen 4 differs from body.generation 3/);
    expect(brain.of('admit')).toHaveLength(0);
  });

  it('after the handshake, a WebSocket framing error (invalid UTF-8) is a Contract Violation reported to the brain', async () => {
    const { c } = await connected();
    // A text frame whose payload is not UTF-8: ws closes 1007 and the brain hears MALFORMED_JSON.
    (c.ws as unknown as { _sender: { sendFrame(list: Buffer[], cb?: () => void): void } })._sender.sendFrame([
      Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0xc3, 0x28]),
    ]);
    expect((await c.waitClosed()).code).toBe(1007);
    await c.until(() => brain.of('protocolError').length > 0);
    expect(brain.of('protocolError')[0]).toMatchObject({ code: 'MALFORMED_JSON', message: expect.stringMatching(/framing error/) });
  });

  it('refuses a wrong token with AUTH_FAILED and closes 4401', async () => {
    const c = await open();
    c.send(handshake('vs_adapter_' + 'A'.repeat(43)));
    const err = await expectError(c, 'AUTH_FAILED', 0);
    expect(err.body.ref).toBe('hs-1');
    expect((await c.waitClosed()).code).toBe(CLOSE.auth);
    expect(brain.of('admit')).toHaveLength(0);
    expect(brain.of('protocolError')[0]).toMatchObject({ peer: null, code: 'AUTH_FAILED' });
  });

  it('refuses a revoked token', async () => {
    const { id, token } = tokens.issue('adapter', 'blender');
    tokens.revoke(id);
    const c = await open();
    c.send(handshake(token));
    await expectError(c, 'AUTH_FAILED', 0);
    expect((await c.waitClosed()).code).toBe(CLOSE.auth);
  });

  it('refuses a person token (viewer) with FORBIDDEN_ROLE', async () => {
    const c = await open();
    c.send(handshake(tokens.issue('viewer', 'artist').token));
    await expectError(c, 'FORBIDDEN_ROLE', 0);
    expect((await c.waitClosed()).code).toBe(CLOSE.forbidden);
  });

  it('passes the brain refusal (NAME_IN_USE) to the client and never connects', async () => {
    brain.admitError = new VibeSyncError('NAME_IN_USE', 'an engine named blender is connected');
    const c = await open();
    c.send(handshake(tokens.issue('adapter', 'blender').token));
    await expectError(c, 'NAME_IN_USE', 0);
    expect((await c.waitClosed()).code).toBe(CLOSE.refused);
    expect(brain.of('connected')).toHaveLength(0);
  });

  it('answers a message before the handshake with NOT_HANDSHAKEN and closes', async () => {
    const c = await open();
    c.send(heartbeat(null));
    await expectError(c, 'NOT_HANDSHAKEN', 0);
    expect((await c.waitClosed()).code).toBe(CLOSE.protocol);
    expect(brain.of('message')).toHaveLength(0);
  });

  it('refuses a frame over the handshake cap before the handshake: typed TOO_LARGE, close 1009, no peer to blame', async () => {
    const c = await open();
    c.send(
      JSON.stringify(handshake(tokens.issue('adapter', 'blender').token)).replace(
        '"capabilities":[]',
        `"capabilities":["${'x'.repeat(9000)}"]`,
      ),
    );
    await expectError(c, 'TOO_LARGE', 0);
    expect(await c.waitClosed()).toMatchObject({
      code: 1009,
      reason: expect.stringMatching(/^TOO_LARGE: frame over the 8192-byte cap before the handshake/),
    });
    expect(brain.of('admit')).toHaveLength(0);
    await c.until(() => brain.of('protocolError').length === 1);
    expect(brain.of('protocolError')[0]).toMatchObject({ peer: null, code: 'TOO_LARGE' });
  });

  it('closes a connection that does not handshake in time (injected clock)', async () => {
    const c = await open();
    await c.until(() => adapter.connections === 1);
    clock.advance(2999);
    expect(c.closed).toBeNull();
    clock.advance(1);
    await expectError(c, 'NOT_HANDSHAKEN', 0);
    expect((await c.waitClosed()).code).toBe(CLOSE.handshakeTimeout);
  });

  it('rejects a browser Origin that is not allowed with HTTP 403 before upgrading', async () => {
    await expect(RawClient.open(url, { Origin: 'http://evil.example' })).rejects.toMatchObject({
      status: 403,
      errorHeader: 'ORIGIN_REJECTED',
    });
    const ok = await open({ Origin: 'http://127.0.0.1:7420' });
    expect(ok.closed).toBeNull();
  });

  it('reports a disconnect to the brain', async () => {
    const { c, session } = await connected();
    c.ws.close(1000, 'bye');
    await c.waitClosed();
    await c.until(() => brain.of('disconnected').length === 1);
    expect(brain.of('disconnected')[0]).toMatchObject({ code: 1000 });
    expect(brain.of('disconnected')[0]!.peer.id).toBe(session);
  });
});

describe('adapter server: bad frames from a handshaken peer', () => {
  beforeEach(() => start());

  const cases: Array<[string, (session: string) => string, string]> = [
    ['malformed JSON', () => '{"v":1,', 'MALFORMED_JSON'],
    ['unknown field', (s) => JSON.stringify({ ...heartbeat(s), body: { seq: 1, sneaky: true } }), 'UNKNOWN_FIELD'],
    ['__proto__ key', (s) => JSON.stringify(heartbeat(s)).replace('"body":{', '"body":{"__proto__":{"admin":true},'), 'PROTO_KEY'],
    ['duplicate keys', (s) => JSON.stringify(heartbeat(s)).replace('"seq":1', '"seq":1,"seq":2'), 'DUPLICATE_KEY'],
    ['1e999', (s) => JSON.stringify(heartbeat(s)).replace('"seq":1', '"seq":1e999'), 'NON_FINITE'],
    ['40-deep nesting', () => '['.repeat(40) + ']'.repeat(40), 'TOO_DEEP'],
    ['schema violation', (s) => JSON.stringify({ ...heartbeat(s), body: { seq: -1 } }), 'SCHEMA_VIOLATION'],
    ['unknown message type', (s) => JSON.stringify({ ...heartbeat(s), type: 'become_admin' }), 'SCHEMA_VIOLATION'],
    ['foreign session', () => JSON.stringify(heartbeat('s_someone_else')), 'SCHEMA_VIOLATION'],
    ['protocol v2', (s) => JSON.stringify({ ...heartbeat(s), v: 2 }), 'PROTOCOL_VERSION'],
  ];

  for (const [what, frame, code] of cases) {
    it(`${what} → ${code}, reported to the brain, nothing delivered`, async () => {
      const { c, session } = await connected();
      const text = frame(session);
      c.send(text);
      await expectError(c, code, 1);
      const reported = brain.of('protocolError');
      expect(reported).toHaveLength(1);
      expect(reported[0]).toMatchObject({ code, bytes: Buffer.byteLength(text) });
      expect(reported[0]!.peer?.id).toBe(session);
      expect(brain.of('message')).toHaveLength(0);
    });
  }

  it('delivers a generation bump without handshake to the brain with the envelope gen (the brain owns Generation Drift)', async () => {
    const { c, session } = await connected();
    c.send({ ...heartbeat(session), gen: 4 });
    await c.until(() => brain.of('message').length === 1);
    expect(brain.of('message')[0]!.msg.gen).toBe(4);
    expect(brain.of('message')[0]!.peer.generation).toBe(3);
    expect(brain.of('protocolError')).toHaveLength(0);
  });

  it('names the zod path of a schema violation and refers to the message id', async () => {
    const { c, session } = await connected();
    c.send({ ...heartbeat(session), id: 'bad-7', body: { seq: -1 } });
    const err = await expectError(c, 'SCHEMA_VIOLATION', 1);
    expect(err.body.message).toContain('body.seq');
    expect(err.body.ref).toBe('bad-7');
    expect(err.session).toBe(session);
  });

  it('refuses a binary frame (text only in protocol v1)', async () => {
    const { c } = await connected();
    c.ws.send(Buffer.from(JSON.stringify({ v: 1 })), { binary: true });
    const err = await expectError(c, 'SCHEMA_VIOLATION', 1);
    expect(err.body.message).toMatch(/binary/);
    expect(brain.of('protocolError')[0]!.code).toBe('SCHEMA_VIOLATION');
  });

  it('a frame over the frame cap (not a snapshot) gets a typed TOO_LARGE error, then close 1009 with a TOO_LARGE reason', async () => {
    const { c, session } = await connected();
    const big = JSON.stringify({ ...heartbeat(session), body: { seq: 1, pad: 'x'.repeat(64 * 1024) } });
    c.send(big);
    const err = await expectError(c, 'TOO_LARGE', 1);
    expect(err.body.message).toContain(`${Buffer.byteLength(big)}-byte frame over the ${64 * 1024}-byte cap`);
    expect(await c.waitClosed()).toMatchObject({ code: 1009, reason: expect.stringMatching(/^TOO_LARGE: /) });
    await c.until(() => brain.of('protocolError').length === 1);
    expect(brain.of('protocolError')[0]).toMatchObject({ code: 'TOO_LARGE', bytes: Buffer.byteLength(big) });
    expect(brain.of('protocolError')[0]!.peer?.id).toBe(session);
    expect(brain.of('message')).toHaveLength(0);
  });

  it('a frame over the snapshot cap is refused from its header: typed TOO_LARGE error, close 1009 with a TOO_LARGE reason', async () => {
    const { c, session } = await connected();
    c.send('"' + 'x'.repeat(256 * 1024 + 10) + '"');
    await expectError(c, 'TOO_LARGE', 1);
    expect(await c.waitClosed()).toMatchObject({ code: 1009, reason: expect.stringMatching(/^TOO_LARGE: frame over the 262144-byte cap/) });
    await c.until(() => brain.of('protocolError').length === 1);
    expect(brain.of('protocolError')[0]).toMatchObject({ code: 'TOO_LARGE' });
    expect(brain.of('protocolError')[0]!.peer?.id).toBe(session);
    expect(brain.of('message')).toHaveLength(0);
  });

  it('a snapshot may be larger than the frame cap (up to the snapshot cap) and is delivered', async () => {
    const { c, session } = await connected();
    const objects = Array.from({ length: 400 }, (_, i) => ({
      id: `obj_${i}`,
      name: `Object ${i}`.padEnd(200, '.'),
      type: 'empty',
      parent: null,
      transform: { position: [i, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
      mesh: null,
      materials: [],
    }));
    const snapshot = JSON.stringify({
      v: 1,
      id: 'snap-1',
      session,
      gen: 3,
      ts: 2,
      type: 'snapshot',
      body: { reason: 'initial', scene: { objects, materials: [] }, hash: 'a'.repeat(64) },
    });
    expect(Buffer.byteLength(snapshot)).toBeGreaterThan(64 * 1024);
    c.send(snapshot);
    await c.until(() => brain.of('message').length === 1, 'snapshot delivered');
    expect(brain.of('message')[0]!.msg.type).toBe('snapshot');
    expect(brain.of('protocolError')).toHaveLength(0);
    expect(c.closed).toBeNull();
  });

  it('a second handshake on a live session is a contract violation', async () => {
    const { c } = await connected();
    c.send(handshake(tokens.issue('adapter', 'x').token));
    await expectError(c, 'SCHEMA_VIOLATION', 1);
    expect(brain.of('connected')).toHaveLength(1);
  });

  it('relays a typed error the brain throws while handling a message', async () => {
    const { c, session } = await connected();
    brain.onMessage = () => {
      throw new VibeSyncError('ENGINE_BUSY', 'engine is compiling');
    };
    c.send({ ...heartbeat(session), id: 'hb-9' });
    const err = await expectError(c, 'ENGINE_BUSY', 1);
    expect(err.body.ref).toBe('hb-9');
  });
});

describe('adapter server: an orchestrator that is not ready', () => {
  let ready = false;
  beforeEach(() => start({ notReady: () => (ready ? null : new VibeSyncError('TRANSIENT', 'the orchestrator is replaying its WAL')) }));

  it('refuses a valid handshake with the typed error and close 1013 (try again later), then admits once ready', async () => {
    const token = tokens.issue('adapter', 'blender').token;
    const c = await open();
    c.send(handshake(token));
    const err = await expectError(c, 'TRANSIENT', 0);
    expect(err.body).toMatchObject({ ref: 'hs-1', message: expect.stringContaining('replaying') });
    expect((await c.waitClosed()).code).toBe(CLOSE.tryAgainLater);
    expect(brain.of('admit')).toHaveLength(0);
    ready = true;
    const again = await open();
    again.send(handshake(token));
    await again.next('welcome');
  });

  it('still refuses a wrong token first (AUTH_FAILED, not a hint about readiness)', async () => {
    const c = await open();
    c.send(handshake('vs_adapter_' + 'A'.repeat(43)));
    await expectError(c, 'AUTH_FAILED', 0);
  });
});

describe('adapter server: a peer that stops reading', () => {
  beforeEach(() => start({ maxBufferedBytes: 256 * 1024 }));

  it('is cut off once its unsent backlog passes the limit, and the brain sees it disconnect', async () => {
    const { c } = await connected();
    c.ws.pause();
    const peer = brain.of('connected')[0]!.peer;
    const reason = 'x'.repeat(400);
    for (let i = 0; i < 100_000 && !peer.closed; i++) peer.send('tx_rollback', { txId: `tx-${i}`, reason });
    expect(peer.closed).toBe(true);
    await c.until(() => brain.of('disconnected').length === 1, 'disconnect');
  });
});

describe('adapter server: rate limit', () => {
  beforeEach(() => start({ rateLimit: { perSecond: 10, burst: 5 } }));

  it('drops frames beyond the bucket, tells the brain, refills with the clock', async () => {
    const { c, session } = await connected();
    for (let i = 0; i < 8; i++) c.send({ ...heartbeat(session), id: `hb-${i}`, body: { seq: i } });
    await c.until(() => brain.of('rateLimited').length === 4, 'rate limited calls');
    // The handshake took one token; four heartbeats got through.
    expect(brain.of('message').map((m) => (m.msg.body as { seq: number }).seq)).toEqual([0, 1, 2, 3]);
    await expectError(c, 'RATE_LIMITED', 1);
    clock.advance(1000);
    c.send({ ...heartbeat(session), id: 'hb-late', body: { seq: 99 } });
    await c.until(() => brain.of('message').length === 5, 'refilled delivery');
  });
});
