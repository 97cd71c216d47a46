// The browser view's /panel client against a scripted server: back-off on a lost connection, a
// refused token is final, replies are matched by id and carry the orchestrator's clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeServer } from '../testing/fake-socket.js';
import { BACKOFF_MS, connectPanelSocket } from './ws-client.js';

const me = { name: 'rita', role: 'reviewer' as const };
let server: ReturnType<typeof fakeServer>;
let statuses: string[];
let welcomes: number;
let samples: { serverNow: number; sentAt?: number; receivedAt: number }[];

function connect() {
  return connectPanelSocket(
    'ws://panel.test/panel',
    'vs_reviewer_TOKEN',
    {
      onStatus: (s, detail) => statuses.push(detail ? `${s}: ${detail}` : s),
      onWelcome: () => {
        welcomes++;
      },
      onServerTime: (s) => samples.push(s),
    },
    server.open,
  );
}

beforeEach(() => {
  vi.useFakeTimers();
  server = fakeServer();
  statuses = [];
  welcomes = 0;
  samples = [];
});
afterEach(() => vi.useRealTimers());

describe('panel socket client', () => {
  it('authenticates first, then matches replies to calls and reports the orchestrator’s clock', async () => {
    const client = connect();
    server.last.accept();
    expect(server.last.sent).toEqual([{ t: 'auth', token: 'vs_reviewer_TOKEN' }]);
    server.last.say({ t: 'welcome', me });
    expect(statuses).toEqual(['connecting', 'live']);
    vi.setSystemTime(1_000);
    const a = client.api.approve({ pids: ['p1'] });
    const b = client.api.reject({ pids: ['p2'], reason: 'wrong level' });
    const [callA, callB] = server.last.sent.slice(1) as { id: number }[];
    vi.setSystemTime(1_040);
    server.last.say({
      t: 'reply',
      id: callB!.id,
      reply: { ok: false, error: { code: 'FORBIDDEN_ROLE', message: 'nope' }, serverNow: 3_601_020 },
    });
    server.last.say({ t: 'reply', id: callA!.id, reply: { ok: true, value: { approved: ['p1'], missing: [] }, serverNow: 3_601_030 } });
    await expect(a).resolves.toEqual({ approved: ['p1'], missing: [] });
    await expect(b).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE', message: 'nope' });
    expect(samples).toEqual([
      { serverNow: 3_601_020, sentAt: 1_000, receivedAt: 1_040 },
      { serverNow: 3_601_030, sentAt: 1_000, receivedAt: 1_040 },
    ]);
  });

  it('reconnects with growing back-off after a lost connection, fails calls in flight, and starts over once welcomed', async () => {
    const client = connect();
    server.last.accept();
    server.last.say({ t: 'welcome', me });
    const inFlight = client.api.getState({});
    server.last.drop();
    await expect(inFlight).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(client.api.getState({})).rejects.toMatchObject({ code: 'DISCONNECTED', message: 'not connected to the orchestrator' });
    for (const [i, delay] of BACKOFF_MS.slice(0, 3).entries()) {
      expect(server.sockets).toHaveLength(i + 1);
      vi.advanceTimersByTime(delay - 1);
      expect(server.sockets).toHaveLength(i + 1);
      vi.advanceTimersByTime(1);
      expect(server.sockets).toHaveLength(i + 2);
      if (i < 2) server.last.drop();
    }
    server.last.accept();
    server.last.say({ t: 'welcome', me });
    expect(welcomes).toBe(2);
    expect(statuses.at(-1)).toBe('live');
    server.last.drop();
    vi.advanceTimersByTime(BACKOFF_MS[0]!);
    expect(server.sockets).toHaveLength(5);
  });

  it('takes a refused token as final: says why and never retries', () => {
    connect();
    server.last.accept();
    server.last.say({
      t: 'refused',
      error: { code: 'AUTH_FAILED', message: 'token unknown, revoked, or not a viewer/reviewer/lead token' },
    });
    server.last.drop(4401, 'AUTH_FAILED');
    vi.advanceTimersByTime(60_000);
    expect(server.sockets).toHaveLength(1);
    expect(statuses).toEqual(['connecting', 'refused: AUTH_FAILED: token unknown, revoked, or not a viewer/reviewer/lead token']);
  });

  it('stops for good when the server closes with 4401 or 4403 without a message', () => {
    connect();
    server.last.drop(4403, 'Forbidden origin');
    vi.advanceTimersByTime(60_000);
    expect(server.sockets).toHaveLength(1);
    expect(statuses.at(-1)).toBe('refused: Forbidden origin');
  });

  it('closes without reconnecting when the page closes it', () => {
    const client = connect();
    server.last.accept();
    server.last.say({ t: 'welcome', me });
    client.close();
    expect(server.last.closedByClient).toBe(true);
    server.last.drop(1000, 'bye');
    vi.advanceTimersByTime(60_000);
    expect(server.sockets).toHaveLength(1);
  });
});
