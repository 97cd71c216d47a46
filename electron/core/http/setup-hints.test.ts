// Issue 10 items 1, 3, 4: `/` never answers a bare "not found"; the commands the panel prints are
// the ones to type for this orchestrator (its --data folder, npx when vibesync is not on PATH),
// and the Blender zip named is the one the build writes.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenIssueCommand } from '../../../shared/ipc/index.js';
import { startOrchestrator, type Orchestrator } from '../orchestrator.js';
import { cliCommand, REPO_DIR, setupHints } from './setup-hints.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vs-hints-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('setup hints', () => {
  it('uses npx when vibesync is not on PATH (in the repository, and from anywhere else with --prefix)', () => {
    expect(cliCommand({ env: { PATH: dir }, cwd: REPO_DIR })).toBe('npx vibesync');
    expect(cliCommand({ env: { PATH: dir }, cwd: dir })).toBe(`npx --prefix ${REPO_DIR} vibesync`);
  });

  it('uses plain vibesync when it is on PATH', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'vibesync'), '#!/bin/sh\n');
    chmodSync(join(bin, 'vibesync'), 0o755);
    expect(cliCommand({ env: { PATH: bin }, cwd: dir })).toBe('vibesync');
  });

  it('prints the token command with this orchestrator’s data folder, quoted when it needs to be', () => {
    const hints = setupHints({ dataDir: '/tmp/my data', env: { PATH: '' }, cwd: REPO_DIR });
    expect(tokenIssueCommand(hints, 'viewer', 'ana')).toBe("npx vibesync token issue --role viewer --name ana --data '/tmp/my data'");
  });

  it('names the zip the Blender build writes (dist/vibesync_blender.zip) and the build step', () => {
    const hints = setupHints({ dataDir: dir });
    expect(hints.blenderZip).toBe(join(REPO_DIR, 'dist', 'vibesync_blender.zip'));
    expect(hints.blenderBuild).toBe(`python3 ${join(REPO_DIR, 'adapters', 'blender', 'build_zip.py')}`);
  });
});

describe('a running orchestrator without a panel build', () => {
  let orch: Orchestrator;
  beforeEach(async () => {
    orch = await startOrchestrator({
      dataDir: join(dir, 'data'),
      port: 0,
      staticDir: join(dir, 'no-build'),
      logger: pino({ level: 'silent' }),
    });
  });
  afterEach(() => orch.close());

  it('answers / with a page saying how to build the panel, never a bare "not found"', async () => {
    const res = await fetch(`http://127.0.0.1:${orch.port}/`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const body = await res.text();
    expect(body).not.toBe('not found\n');
    expect(body).toContain('The VibeSync panel is not built yet');
    expect(body).toMatch(/vibesync build-panel/);
  });

  it('serves the setup hints with its own data folder', async () => {
    const res = await fetch(`http://127.0.0.1:${orch.port}/setup-hints.json`);
    expect(res.status).toBe(200);
    const hints = (await res.json()) as { dataFlag: string; blenderZip: string };
    expect(hints.dataFlag).toBe(`--data ${join(dir, 'data')}`);
    expect(hints.blenderZip).toMatch(/dist\/vibesync_blender\.zip$/);
  });
});
