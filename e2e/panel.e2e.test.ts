// The control panel in real Chromium, against the real headless orchestrator and simulator peers:
// an agent proposes, a reviewer approves one and rejects another in the UI, the approved change
// lands on the target engine; a contract violation raises the PANIC banner; a lead resets the
// engine's token; a viewer cannot approve.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMERGENCY_ACK } from '../shared/ipc/index.js';
import type { Mutation } from '../shared/protocol/index.js';
import type { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { launchChromium, proposeMany, publishScreenshots, shoot, startPanelHarness, type PanelHarness } from './panel-harness.js';

let browser: Browser;
let h: PanelHarness;
let failures = 0;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  // Opt-in, so an ordinary test run leaves the working tree clean: `npm run e2e:screenshots`.
  if (failures === 0 && process.env.VIBESYNC_PUBLISH_SCREENSHOTS === '1') publishScreenshots();
});
beforeEach(async () => {
  h = await startPanelHarness(browser);
});
afterEach(async (ctx) => {
  const failed = ctx.task.result?.state === 'fail';
  if (failed) failures++;
  await h.close(failed, ctx.task.name);
});

const move = (objectId: string, position: [number, number, number]): Mutation => ({
  mid: `m-${objectId}-${position.join('_')}`,
  targets: ['unity'],
  op: 'set_transform',
  objectId,
  transform: { position },
});

async function engines(): Promise<{ blender: SimAdapter; unity: SimAdapter; agent: SimAdapter }> {
  const unity = await h.sim({ name: 'unity', roles: ['target'], objects: 20 });
  // blender streams live motion of obj_0…obj_4 (the agent's proposals touch other objects)
  const blender = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 20, rate: 10, moving: 5 });
  const agent = await h.sim({ name: 'layout-agent', roles: ['agent'] });
  return { blender, unity, agent };
}

const row = (page: Page, pid: string) => page.locator(`[data-testid="pending-row"][data-pid="${pid}"]`);

describe('control panel (browser view)', () => {
  it('reviews AI proposals, shows a PANIC, lets the lead reset a token, and keeps a viewer read-only', async () => {
    const { unity, agent } = await engines();
    const reviewer = await h.open('reviewer', 'rita');
    await reviewer.getByTestId('engine-unity').waitFor();
    await reviewer.getByTestId('engine-layout-agent').waitFor();

    const keep = agent.proposeEdit(move('obj_11', [1.25, 2, -3]), 'line the crates up along the wall');
    const drop = agent.proposeEdit(move('obj_12', [40, 0, 0]), 'push crate 12 out of the level');
    agent.proposeScript(
      'for oid in ("obj_13", "obj_14"):\n    o = scene.objects[oid]\n    x, y, z = o.position\n    o.position = (x, max(y, 0), z)\n',
      ['unity'],
      ['obj_13', 'obj_14'],
      'snap everything above the floor',
    );
    // a few seconds of live stream, so the sparklines have something to show
    const streamed = () =>
      h.orch.control
        .state({ name: 't', role: 'viewer' })
        .engines.find((e) => e.name === 'blender')
        ?.throughput.filter((x) => x > 0).length ?? 0;
    await unity.until(() => streamed() >= 8, 'eight seconds of blender throughput', 30_000);
    await reviewer
      .getByTestId('engine-blender')
      .filter({ hasText: /[1-9]\d*\/s/ })
      .waitFor();
    await shoot(reviewer, '01-sync-health');

    await reviewer.getByRole('button', { name: /Review queue/ }).click();
    await row(reviewer, keep).waitFor();
    await row(reviewer, drop).waitFor();
    await row(reviewer, keep).click();
    await expect.poll(() => reviewer.getByTestId('pending-detail').textContent()).toContain('line the crates up along the wall');
    await shoot(reviewer, '02-review-queue');

    // approve the first with the keyboard; it leaves the queue and lands on the target engine
    await reviewer.keyboard.press('a');
    await row(reviewer, keep).waitFor({ state: 'detached' });
    await unity.until(
      () => JSON.stringify(unity.scene.object('obj_11')?.transform.position) === JSON.stringify([1.25, 2, -3]),
      'obj_11 moved on unity',
    );
    await agent.until(
      () => ['approved', 'applied'].includes(agent.proposals.get(keep)?.status ?? ''),
      'agent told its proposal was approved',
    );

    // reject the second: the dialog insists on a reason
    await row(reviewer, drop).click();
    await reviewer.keyboard.press('r');
    const dialog = reviewer.getByRole('dialog');
    await expect.poll(() => dialog.getByRole('button', { name: 'Reject' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Reject reason').fill('moves the crate out of the playable area');
    await shoot(reviewer, '03-reject-dialog');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await row(reviewer, drop).waitFor({ state: 'detached' });
    await agent.until(() => agent.proposals.get(drop)?.status === 'rejected', 'agent told its proposal was rejected');
    expect(agent.proposals.get(drop)?.reason).toContain('moves the crate out of the playable area');
    expect(unity.scene.object('obj_12')?.transform.position).not.toEqual([40, 0, 0]);

    await reviewer.getByRole('button', { name: /Audit log/ }).click();
    await reviewer.getByTestId('audit-row').filter({ hasText: 'moves the crate out of the playable area' }).waitFor();
    await shoot(reviewer, '04-audit-log');

    // a contract violation from an engine: PANIC, on every screen, naming failure, cause and action
    const godot = await h.sim({ name: 'godot', roles: ['target'], scenario: 'malformed' });
    const banner = reviewer.getByTestId('panic-banner');
    await banner.waitFor();
    await expect.poll(() => banner.getByTestId('panic-failure').first().textContent()).toBe('Contract Violation');
    expect(await banner.textContent()).toContain('godot');
    expect(await banner.getByTestId('panic-cause').first().textContent()).toMatch(/JSON/);
    expect(await banner.getByTestId('panic-action').first().textContent()).toMatch(/token/i);
    await reviewer.getByRole('button', { name: /Sync health/ }).click();
    await banner.waitFor();
    await shoot(reviewer, '05-panic-banner');
    await godot.until(() => godot.closed !== null, 'godot disconnected after its violation');

    // the lead resets godot's token; the new one is shown once and works
    const lead = await h.open('lead', 'lena');
    await lead.getByTestId('panic-banner').waitFor();
    await lead.getByRole('button', { name: 'Open overrides' }).click();
    const card = lead.getByTestId('override-token-reset');
    await card.getByLabel('Token reset: engine').selectOption('godot');
    await card.getByLabel('Token reset: reason').fill('contract violation investigated: add-on updated');
    await card.getByRole('button', { name: 'Reset token' }).click();
    const shown = lead.getByTestId('new-token');
    await shown.waitFor();
    const newToken = (await shown.textContent()) ?? '';
    expect(h.orch.tokens.verify(newToken)).toMatchObject({ name: 'godot', role: 'adapter' });
    await shoot(lead, '06-token-reset');
    await lead.getByRole('button', { name: 'I have stored it' }).click();
    await shown.waitFor({ state: 'detached' });
    await shoot(lead, '07-overrides');
    // the reset cleared godot's PANIC: the banner leaves every page
    await lead.getByTestId('panic-banner').waitFor({ state: 'detached' });
    await banner.waitFor({ state: 'detached' });
    expect(h.orch.control.state({ name: 't', role: 'viewer' }).orchestrator.panic).toBeNull();

    // a viewer sees the queue but cannot approve: the UI offers nothing, and the core refuses a direct call
    const left = agent.proposeEdit(move('obj_15', [0, 1, 0]), 'raise crate 15');
    const viewer = await h.open('viewer', 'vic');
    await viewer.getByRole('button', { name: /Review queue/ }).click();
    await row(viewer, left).waitFor();
    expect(await viewer.getByRole('button', { name: /^Approve/ }).isDisabled()).toBe(true);
    expect(await viewer.getByRole('button', { name: 'Overrides' }).count()).toBe(0);
    await viewer.keyboard.press('a');
    const direct = await viewer.evaluate(
      async ({ url, token, pid }) => {
        const ws = new WebSocket(url);
        const replies: unknown[] = [];
        await new Promise<void>((resolve) => {
          ws.onopen = () => ws.send(JSON.stringify({ t: 'auth', token }));
          ws.onmessage = (ev) => {
            const msg = JSON.parse(String(ev.data));
            if (msg.t === 'welcome') ws.send(JSON.stringify({ t: 'call', id: 1, method: 'approve', input: { pids: [pid] } }));
            if (msg.t === 'reply') {
              replies.push(msg.reply);
              resolve();
            }
          };
        });
        ws.close();
        return replies[0];
      },
      { url: `${h.base.replace('http:', 'ws:')}/panel`, token: h.token('viewer', 'vic-2'), pid: left },
    );
    expect(direct).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    await row(viewer, left).waitFor();
    expect(h.orch.control.state({ name: 't', role: 'viewer' }).pending.map((p) => p.pid)).toContain(left);
    await shoot(viewer, '08-viewer-review');
  });

  it('refuses a bad token at sign-in and says why', async () => {
    const page = await h.context.newPage();
    await page.goto(`${h.base}/#token=vs_lead_${'x'.repeat(43)}`);
    await page.getByRole('alert').filter({ hasText: 'AUTH_FAILED' }).waitFor();
    await page.getByLabel('Token').waitFor();
    await shoot(page, '00-sign-in');
  });
});

describe('control panel at scale (browser view)', () => {
  it('keeps only a window of rows in the DOM with 10,000 PENDING, scrolls to the last one, and approves 11,000 at once', async () => {
    await h.close(false, 'default harness');
    // A bulk agent is far above the default per-connection rate limit: raise it for this test.
    // It is also far above the per-agent pending cap (a study of the queue at scale, not of the cap).
    h = await startPanelHarness(browser, {
      rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
      config: { maxPendingPerAgent: 1_000_000 },
    });
    await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 200 });
    await h.sim({ name: 'unity', roles: ['target'], objects: 200 });
    const agent = await h.sim({ name: 'bulk-agent', roles: ['agent'] });
    const pids = await proposeMany(h, agent, 10_000, 200, 'unity');
    const page = await h.open('reviewer', 'rita');
    await page.getByRole('button', { name: /Review queue/ }).click();
    await page.getByText('10,000 pending').waitFor();
    const rows = await page.getByTestId('pending-row').count();
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(80);
    await shoot(page, '09-review-10k');
    await page.keyboard.press('End');
    await row(page, pids.at(-1)!).waitFor();
    expect(await row(page, pids[0]!).count()).toBe(0);
    expect(await page.getByTestId('pending-row').count()).toBeLessThan(80);

    // more than one call may carry (10,000 pids): "Select all" + Approve goes in chunks, with progress
    for (let i = 0; i < 1_000; i++)
      agent.proposeEdit(
        {
          mid: `more-${i}`,
          targets: ['unity'],
          op: 'set_transform',
          objectId: `obj_${i % 200}`,
          transform: { position: [0, 2, i * 0.001] },
        },
        `one more ${i}`,
      );
    await page.getByText('11,000 pending').waitFor();
    await page.getByRole('button', { name: 'Select all' }).click();
    await page.getByRole('button', { name: /^Approve 11,000/ }).click();
    // above the bulk-confirmation limit: the dialog names the agent, then approves
    await page.getByTestId('bulk-confirm').filter({ hasText: 'This approves 11,000 mutations at once' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve 11,000' }).click();
    await page.getByTestId('decision-progress').waitFor();
    await page.getByText('Nothing waiting for review').waitFor({ timeout: 60_000 });
    await page.getByRole('status').filter({ hasText: 'Approved 11,000' }).waitFor();
    expect(h.orch.control.state({ name: 't', role: 'viewer' }).pending).toHaveLength(0);
  });
});

describe('quarantine (browser view)', () => {
  it('shows a quarantined adapter with its cool-off and a DIRTY object, and requests its re-snapshot', async () => {
    await h.close(false, 'default harness');
    // One rate-limit hit costs 10 trust; from 50 that is below 45, so the noisy adapter is quarantined.
    // The limit leaves room for blender's start (hello, blob query, mesh chunks, snapshot).
    h = await startPanelHarness(browser, {
      rateLimit: { perSecond: 20, burst: 20 },
      config: { quarantineBelowTrust: 45, rateLimitPenalty: 10 },
    });
    const blender = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 20 });
    await h.sim({ name: 'unity', roles: ['target'], objects: 20, scenario: 'hash-mismatch' });
    const agent = await h.sim({ name: 'layout-agent', roles: ['agent'] });
    const reviewer = await h.open('reviewer', 'rita');
    // blender's exporter stalls: it ignores snapshot requests until told otherwise
    const exportSnapshot = blender.sendSnapshot.bind(blender);
    blender.sendSnapshot = () => '';

    // an approved edit that the target imports wrongly: rolled back, object DIRTY
    const pid = agent.proposeEdit(move('obj_7', [3, 0, 3]), 'move crate 7 next to the door');
    await reviewer.getByRole('button', { name: /Review queue/ }).click();
    await row(reviewer, pid).click();
    await reviewer.keyboard.press('a');
    await row(reviewer, pid).waitFor({ state: 'detached' });

    const noisy = await h.sim({ name: 'noisy-godot', roles: ['target'], objects: 20 });
    for (let i = 0; i < 60; i++) noisy.send('heartbeat', { seq: 1000 + i });

    await reviewer.getByRole('button', { name: /Quarantine/ }).click();
    const dirty = reviewer.getByTestId('dirty-obj_7');
    await dirty.waitFor();
    expect(await dirty.textContent()).toContain('DIRTY');
    const quarantined = reviewer.getByTestId('quarantined-noisy-godot');
    await quarantined.waitFor();
    expect(await quarantined.locator('.countdown').textContent()).toMatch(/^[01]:\d\d$/);
    await shoot(reviewer, '11-quarantine');

    // the exporter recovers; the reviewer asks for the re-snapshot and the object comes back CLEAN
    blender.sendSnapshot = exportSnapshot;
    await dirty.getByRole('button', { name: 'Re-snapshot' }).click();
    await reviewer.getByLabel('Re-snapshot reason').fill('unity import was 1 cm off; take a fresh export');
    await reviewer.getByRole('button', { name: 'Request re-snapshot' }).click();
    await reviewer.getByText(/Re-snapshot of obj_7 requested from blender/).waitFor();
    await dirty.waitFor({ state: 'detached' });
  });
});

describe('overrides and resilience (browser view)', () => {
  it('lets a lead emergency-unlock after a generation drift, only with the typed acknowledgement', async () => {
    await h.sim({ name: 'unity', roles: ['target'], objects: 20 });
    await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 20, rate: 20, scenario: 'generation-drift' });
    const lead = await h.open('lead', 'lena');
    const banner = lead.getByTestId('panic-banner');
    await banner.getByTestId('panic-failure').filter({ hasText: 'Generation Drift' }).waitFor();
    await lead.getByRole('button', { name: 'Open overrides' }).click();
    await lead.getByRole('button', { name: /^Emergency unlock/ }).click();
    const dialog = lead.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Unlock and accept the risk' });
    await dialog.getByLabel('Unlock reason').fill('blender was reloaded by hand; accepting its current state');
    await dialog.getByLabel('Type the confirmation').fill('i understand');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type the confirmation').fill(EMERGENCY_ACK);
    await shoot(lead, '12-emergency-unlock');
    await confirm.click();
    await lead.getByText(/^Emergency unlock: /).waitFor();
    await dialog.waitFor({ state: 'detached' });
    const audit = h.orch.control.state({ name: 't', role: 'viewer' }).audit;
    expect(audit.find((e) => e.kind === 'emergency_unlock')).toMatchObject({
      actor: 'lena',
      reason: 'blender was reloaded by hand; accepting its current state',
    });
  });

  it('reconnects after the orchestrator restarts and shows the replayed state', async () => {
    const agent = await h.sim({ name: 'layout-agent', roles: ['agent'] });
    await h.sim({ name: 'unity', roles: ['target'], objects: 20 });
    await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 20 });
    const pid = agent.proposeEdit(move('obj_3', [0, 2, 0]), 'survives a restart');
    const page = await h.open('reviewer', 'rita');
    await page.getByRole('button', { name: /Review queue/ }).click();
    await row(page, pid).waitFor();

    const port = h.orch.port;
    await h.restartOrchestrator({ port });
    // same data folder: the proposal came back from the WAL; someone decides it while the page is away
    const lead = { name: 'lena', role: 'lead' as const };
    expect(h.orch.control.state(lead).pending.map((p) => p.pid)).toEqual([pid]);
    await h.orch.control.call(lead, 'reject', { pids: [pid], reason: 'decided while the panel was away' });
    const note = page.getByRole('status').filter({ hasText: 'Connection to the orchestrator lost' });
    await note.waitFor();
    // the token still works; the fresh snapshot on reconnection drops the decided row
    await note.waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('.topbar').getByText('live', { exact: true }).waitFor();
    await row(page, pid).waitFor({ state: 'detached' });
    await page.getByText('Nothing waiting for review').waitFor();
  });
});
