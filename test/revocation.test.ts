// Issue 10 item 5: revoking a token closes every open session of it at once — the panel's
// WebSocket and an engine's adapter connection — with a clear reason, even when the revocation
// comes from another process (the `vibesync token` CLI writing the same data folder).
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TokenStore } from '../electron/core/auth/tokens.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stopAll();
  h = null;
});

function panel(port: number, token: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/panel`, ['vibesync.panel']);
  const messages: unknown[] = [];
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.once('close', (code, reason) => r({ code, reason: String(reason) })),
  );
  const welcomed = new Promise<void>((resolve) => {
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { t: string };
      messages.push(m);
      if (m.t === 'welcome') resolve();
    });
  });
  ws.once('open', () => ws.send(JSON.stringify({ t: 'auth', token })));
  return { ws, messages, closed, welcomed };
}

describe('revoking a token closes its open sessions at once', () => {
  it('the CLI revokes a reviewer token and an adapter token: the open panel and the engine are closed with AUTH_FAILED, others stay', async () => {
    h = await startHarness();
    const reviewer = h.orch.tokens.issue('reviewer', 'rita');
    const viewer = h.orch.tokens.issue('viewer', 'vic');
    const a = panel(h.orch.port, reviewer.token);
    const b = panel(h.orch.port, viewer.token);
    await Promise.all([a.welcomed, b.welcomed]);
    const engine = await h.sim({ name: 'blender', roles: ['source'], targets: [], objects: 2, seed: 1 });

    // Another process (the CLI) revokes: a separate store on the same data folder.
    const cli = new TokenStore(h.dir);
    const adapterId = cli.list().find((t) => t.name === 'blender' && t.revokedAt === null)!.id;
    expect(cli.revoke(reviewer.id)).toBe(true);
    expect(cli.revoke(adapterId)).toBe(true);

    // No call is made by either session: the revocation alone ends them.
    expect(await a.closed).toEqual({ code: 4401, reason: 'AUTH_FAILED' });
    expect(a.messages.at(-1)).toMatchObject({
      t: 'refused',
      error: { code: 'AUTH_FAILED', message: expect.stringContaining('token revoked') },
    });
    await engine.until(() => engine.closed !== null, 'the engine closed');
    expect(engine.closed).toEqual({ code: 4401, reason: 'AUTH_FAILED: token revoked' });
    expect(engine.stats.errors.some((e) => e.code === 'AUTH_FAILED')).toBe(true);

    // The viewer's token was not revoked: its session is still open.
    expect(b.ws.readyState).toBe(WebSocket.OPEN);
    b.ws.close();
  });
});
