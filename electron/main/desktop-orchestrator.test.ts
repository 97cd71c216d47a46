// The desktop's in-process orchestrator, started the way main.ts starts it, on real sockets.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOrchestrator, type Orchestrator } from '../core/orchestrator.js';
import { startDesktopOrchestrator } from './desktop-orchestrator.js';

const logger = pino({ level: 'silent' });
const lead = { name: 'lena', role: 'lead' as const };
const limits = { maxVertices: 2_000_000, maxTextureSize: 8192, maxObjects: 200_000 };
let dir: string;
const running: Orchestrator[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vs-desktop-'));
});
afterEach(async () => {
  for (const o of running.splice(0)) await o.close();
  rmSync(dir, { recursive: true, force: true });
});

const desktop = async (port: number) => {
  const o = await startDesktopOrchestrator({
    dataDir: join(dir, 'data'),
    host: '127.0.0.1',
    settings: { limits, port },
    staticDir: join(dir, 'no-build'),
    logger,
  });
  running.push(o);
  return o;
};

describe('the desktop orchestrator', () => {
  it('keeps the trust threshold a lead set from the browser view on the same data folder', async () => {
    const headless = await startOrchestrator({ dataDir: join(dir, 'data'), port: 0, staticDir: join(dir, 'no-build'), logger });
    await headless.control.call(lead, 'setTrustThreshold', { value: 70, reason: 'trust the layout agent more' });
    await headless.close();
    const o = await desktop(0);
    expect(o.control.state(lead).orchestrator.trustThreshold).toBe(70);
    expect(o.control.state(lead).audit.filter((e) => /trust/i.test(e.kind))).toHaveLength(1);
  });

  it('listens on a free port when the configured one is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const o = await desktop(taken);
      expect(o.port).not.toBe(taken);
      expect(o.port).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
