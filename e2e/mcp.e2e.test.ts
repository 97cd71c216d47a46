// Issue 13 in real Chromium: a proposal made by a real MCP client (the SDK's Client over stdio,
// spawning `vibesync mcp`) shows in the review queue with its rationale and agent; the reviewer
// approves it there and the client learns it was applied on the target.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashing } from '../shared/canonical/index.js';
import { launchChromium, startPanelHarness, type PanelHarness } from './panel-harness.js';

const BIN = fileURLToPath(new URL('../bin/vibesync.mjs', import.meta.url));

let browser: Browser;
let h: PanelHarness;
let client: Client | undefined;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  h = await startPanelHarness(browser);
});
afterEach(async (ctx) => {
  await client?.close().catch(() => {});
  client = undefined;
  await h.close(ctx.task.result?.state === 'fail', ctx.task.name);
});

type Result = { content: Array<{ type: string; text?: string }>; isError?: boolean };
const call = async (name: string, args: Record<string, unknown>) =>
  JSON.parse(((await client!.callTool({ name, arguments: args })) as Result).content[0]!.text!) as Record<string, unknown>;

describe('MCP in the control panel', () => {
  it('a proposal made through MCP shows in the review queue with its rationale and agent, and the approval reaches the client', async () => {
    const unity = await h.sim({ name: 'unity', roles: ['target'], objects: 20 });
    await h.sim({ name: 'blender', roles: ['source'], objects: 20 });
    await unity.waitFor('resync');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      env: {
        ...(process.env as Record<string, string>),
        VIBESYNC_URL: h.orch.url,
        VIBESYNC_TOKEN: h.token('agent', 'claude'),
        VIBESYNC_AGENT: 'claude',
      },
      stderr: 'pipe',
    });
    client = new Client({ name: 'vibesync-e2e', version: '1.0.0' });
    await client.connect(transport);

    const reviewer = await h.open('reviewer', 'rita');
    await reviewer.getByTestId('engine-claude').waitFor(); // the MCP server is connected as an agent
    const proposed = await call('propose_changes', {
      rationale: 'move crate 7 next to the door so the player sees it',
      targets: ['unity'],
      changes: [{ op: 'transform', id: 'obj_7', position_m: [2.5, 0, -1] }],
      pid: 'claude-crate-7',
    });
    expect(proposed.proposals).toEqual([{ pid: 'claude-crate-7', status: 'pending', reason: 'waiting for review' }]);

    await reviewer.getByRole('button', { name: /Review queue/ }).click();
    const row = reviewer.locator('[data-testid="pending-row"][data-pid="claude-crate-7"]');
    await row.waitFor();
    expect(await row.locator('.qcell-agent').textContent()).toBe('claude');
    await row.click();
    const detail = reviewer.getByTestId('pending-detail');
    const rationale = detail.locator('dt', { hasText: 'Rationale' }).locator('xpath=following-sibling::dd[1]');
    await expect.poll(() => rationale.textContent()).toBe('move crate 7 next to the door so the player sees it');
    expect(await detail.locator('.detail-agent').textContent()).toMatch(/^Agent claude/);

    const waiting = call('wait_for_decision', { pid: 'claude-crate-7', timeout_s: 60 });
    await reviewer.keyboard.press('a');
    await row.waitFor({ state: 'detached' });
    expect(await waiting).toMatchObject({ pid: 'claude-crate-7', status: 'applied', decided: true });
    await unity.until(() => unity.scene.object('obj_7')?.transform.position.join() === '2.5,0,-1', 'obj_7 moved on unity');
    expect(unity.sceneHash).toBe(hashing.sceneHash(h.orch.brain.exportState().scene));
  });
});
