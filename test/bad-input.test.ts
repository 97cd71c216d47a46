// Bad input through the real orchestrator (WAL, brain, transport, HTTP on 127.0.0.1): a source
// simulator has established the scene, then each kind of bad input arrives over a real socket.
// Each row asserts what the sender is told (typed error code, close code and reason), the outcome
// failure-modes.md prescribes, and that the scene state is byte for byte what it was before.
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FRAME_LIMITS, type ErrorCode } from '../shared/protocol/index.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { startOrchestrator, type Orchestrator } from '../electron/core/orchestrator.js';
import { RawClient } from './support/raw-client.js';

let dir: string;
let orch: Orchestrator;
let source: SimAdapter;
let sourceToken: string;
const raws: RawClient[] = [];

/** The durable scene state: objects and materials, which engine each object came from, the ID map. */
const sceneState = () => {
  const s = orch.brain.exportState();
  return JSON.stringify({ scene: s.scene, origin: s.origin, ids: s.ids, sceneAdopted: s.sceneAdopted });
};
const engineState = (name: string) => orch.control.state({ name: 'test', role: 'viewer' }).engines.find((e) => e.name === name)?.state;

async function until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`not reached within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vs-bad-input-'));
  orch = await startOrchestrator({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
    staticDir: join(dir, 'no-panel'),
  });
  sourceToken = orch.tokens.issue('adapter', 'blender').token;
  source = new SimAdapter({
    url: orch.url,
    token: sourceToken,
    name: 'blender',
    roles: ['source'],
    targets: ['unity'],
    objects: 30,
    seed: 4,
  });
  await source.connect();
  await until(() => orch.brain.state.sceneAdopted && orch.brain.state.scene.objects.size === 30, 'the source established the scene');
  await orch.brain.whenDurable();
});
afterEach(async () => {
  for (const c of raws.splice(0)) c.ws.terminate();
  source.crash();
  await orch.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A valid `mutation` frame from the source, as text, for the bad rows to break in one place. */
const goodFrame = () =>
  `{"v":1,"id":"bad-1","session":${JSON.stringify(source.session)},"gen":${source.generation},"ts":0,"type":"mutation",` +
  `"body":{"mutation":{"mid":"m-1","targets":["unity"],"op":"set_transform","objectId":"obj_1","transform":{"position":[1,2,3]}}}}`;
const breakFrame = (from: string, to: string) => () => {
  const text = goodFrame();
  if (!text.includes(from)) throw new Error(`${from} not in the frame`);
  return text.replace(from, to);
};

type Outcome = 'PANIC, token revoked' | 'dropped, snapshot_request' | 'refused, no PANIC';
interface Row {
  /** the failure-modes.md row this input falls under, then the input */
  title: string;
  code: ErrorCode;
  outcome: Outcome;
  /** the close the sender sees; null = the connection stays open */
  close: { code: number; reason: RegExp } | null;
  /** a frame from the handshaken source, or something a stranger does */
  frame?: () => string;
  stranger?: () => Promise<{ code: string | undefined; close: { code: number; reason: string } | null }>;
}

const contract = { code: 4001, reason: /^Contract Violation$/ };
const rows: Row[] = [
  {
    title: 'Contract Violation — malformed JSON',
    code: 'MALFORMED_JSON',
    outcome: 'PANIC, token revoked',
    close: contract,
    frame: () => goodFrame().slice(0, -7),
  },
  {
    title: 'Contract Violation — unknown field',
    code: 'UNKNOWN_FIELD',
    outcome: 'PANIC, token revoked',
    close: contract,
    frame: breakFrame('"op":', '"sneaky":true,"op":'),
  },
  {
    title: 'Contract Violation — __proto__ key',
    code: 'PROTO_KEY',
    outcome: 'PANIC, token revoked',
    close: contract,
    frame: breakFrame('"body":{', '"body":{"__proto__":{"admin":true},'),
  },
  {
    title: 'Contract Violation — duplicate keys',
    code: 'DUPLICATE_KEY',
    outcome: 'PANIC, token revoked',
    close: contract,
    frame: breakFrame('"objectId":"obj_1"', '"objectId":"obj_1","objectId":"obj_2"'),
  },
  {
    title: 'Contract Violation — deep nesting (40 levels)',
    code: 'TOO_DEEP',
    outcome: 'PANIC, token revoked',
    close: contract,
    frame: breakFrame('[1,2,3]', '['.repeat(40) + ']'.repeat(40)),
  },
  {
    title: `Contract Violation — oversize frame (over the ${FRAME_LIMITS.frameBytes}-byte frame cap)`,
    code: 'TOO_LARGE',
    outcome: 'PANIC, token revoked',
    close: { code: 1009, reason: /^TOO_LARGE: \d+-byte frame over the 8388608-byte cap$/ },
    frame: breakFrame('"mid":"m-1"', `"mid":"${'x'.repeat(FRAME_LIMITS.frameBytes)}"`),
  },
  {
    title: 'Numerical Error — NaN',
    code: 'NON_FINITE',
    outcome: 'dropped, snapshot_request',
    close: null,
    frame: breakFrame('[1,2,3]', '[NaN,2,3]'),
  },
  {
    title: 'Numerical Error — Infinity (1e999)',
    code: 'NON_FINITE',
    outcome: 'dropped, snapshot_request',
    close: null,
    frame: breakFrame('[1,2,3]', '[1e999,2,3]'),
  },
  {
    title: 'auth failure — wrong token',
    code: 'AUTH_FAILED',
    outcome: 'refused, no PANIC',
    close: { code: 4401, reason: /unknown or revoked token/ },
    stranger: async () => {
      const c = await RawClient.open(orch.url);
      raws.push(c);
      c.send({
        v: 1,
        id: 'hs-1',
        session: null,
        gen: 1,
        ts: 0,
        type: 'handshake',
        body: {
          token: 'vs_adapter_' + 'A'.repeat(43),
          name: 'intruder',
          engine: { kind: 'sim', version: '1' },
          roles: ['source'],
          capabilities: [],
          generation: 1,
        },
      });
      const err = await c.next('error');
      return { code: err.body.code, close: await c.waitClosed() };
    },
  },
  {
    title: 'auth failure — wrong origin',
    code: 'ORIGIN_REJECTED',
    outcome: 'refused, no PANIC',
    close: null,
    stranger: async () => {
      const refused = await RawClient.open(orch.url, { Origin: 'http://evil.example' }).then(
        () => null,
        (e: { status: number; errorHeader: string }) => e,
      );
      expect(refused?.status).toBe(403); // refused before the upgrade: there is no socket to close
      return { code: refused?.errorHeader, close: null };
    },
  },
  {
    title: 'auth failure — message before handshake',
    code: 'NOT_HANDSHAKEN',
    outcome: 'refused, no PANIC',
    close: { code: 4400, reason: /before handshake/ },
    stranger: async () => {
      const c = await RawClient.open(orch.url);
      raws.push(c);
      c.send(goodFrame().replace(JSON.stringify(source.session), 'null'));
      const err = await c.next('error');
      return { code: err.body.code, close: await c.waitClosed() };
    },
  },
];

describe('bad input through the real orchestrator: typed error, the failure-table outcome, scene state unchanged', () => {
  for (const row of rows) {
    it(`${row.title}: ${row.code}, ${row.outcome}`, async () => {
      const before = sceneState();
      expect(orch.healthz()).toMatchObject({ orchestrator: 'RUNNING', panic: false });

      if (row.frame) {
        const errorsBefore = source.stats.errors.length;
        source.sendRaw(row.frame());
        await source.until(() => source.stats.errors.length > errorsBefore, `an error for ${row.title}`);
        expect(source.stats.errors.slice(errorsBefore).map((e) => e.code)).toEqual([row.code]);
        // `ref` names the message whenever its id can be read (docs/protocol.md): not in a frame that is
        // not JSON, nor with a bare NaN word, nor in one refused by its size before it is parsed
        const unreadable = row.code === 'MALFORMED_JSON' || row.code === 'TOO_LARGE' || row.title.endsWith('NaN');
        expect(source.stats.errors[errorsBefore]!.ref).toBe(unreadable ? null : 'bad-1');
      } else {
        const seen = await row.stranger!();
        expect(seen.code).toBe(row.code);
        if (row.close) expect(seen.close).toMatchObject({ code: row.close.code, reason: expect.stringMatching(row.close.reason) });
      }

      switch (row.outcome) {
        case 'PANIC, token revoked': {
          await source.until(() => source.closed !== null, 'closed by the orchestrator');
          expect(source.closed).toMatchObject({ code: row.close!.code, reason: expect.stringMatching(row.close!.reason) });
          await until(() => orch.healthz().panic, 'orchestrator PANIC');
          expect(engineState('blender')).toBe('PANIC');
          expect(orch.tokens.verify(sourceToken)).toBeNull();
          const again = new SimAdapter({
            url: orch.url,
            token: sourceToken,
            name: 'blender',
            roles: ['source'],
            targets: ['unity'],
            objects: 30,
            seed: 4,
          });
          await expect(again.connect()).rejects.toThrow(/AUTH_FAILED/);
          again.crash();
          break;
        }
        case 'dropped, snapshot_request': {
          await source.waitFor('snapshot_request');
          // The source answers with a fresh snapshot; once it is adopted, the scene must be what it was.
          await until(() => !orch.brain.awaitingSnapshot.has('blender'), 'the re-fetched snapshot adopted');
          expect(source.closed).toBeNull();
          expect(orch.tokens.verify(sourceToken)).not.toBeNull();
          expect(engineState('blender')).not.toBe('PANIC');
          expect(orch.healthz()).toMatchObject({ orchestrator: 'RUNNING', panic: false });
          break;
        }
        case 'refused, no PANIC': {
          expect(source.closed).toBeNull();
          expect(orch.tokens.verify(sourceToken)).not.toBeNull();
          expect(orch.healthz()).toMatchObject({ orchestrator: 'RUNNING', panic: false, engines: 1 });
          expect(orch.control.state({ name: 'test', role: 'viewer' }).engines.map((e) => e.name)).toEqual(['blender']);
          break;
        }
      }
      await orch.brain.whenDurable();
      expect(sceneState()).toBe(before);
    });
  }

  it('permessage-deflate is refused: a client that offers it gets a handshake response without Sec-WebSocket-Extensions', async () => {
    const res = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request(orch.url.replace('ws:', 'http:'), {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits',
        },
      });
      req.on('upgrade', (r, socket) => {
        socket.destroy();
        resolve({ status: r.statusCode!, headers: r.headers });
      });
      req.on('response', (r) => resolve({ status: r.statusCode!, headers: r.headers }));
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(101);
    expect(res.headers['sec-websocket-accept']).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(res.headers).not.toHaveProperty('sec-websocket-extensions');
  });
});
