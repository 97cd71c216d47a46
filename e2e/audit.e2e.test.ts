// Issue 10 item 8 in real Chromium: overrides and a terminal failure made before a burst of
// 100,000 proposals are found by "Search the full log" in the panel, and "Load older" pages
// through the burst from the orchestrator's durable audit log.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { EMERGENCY_ACK } from '../shared/ipc/index.js';
import { panicRecord, proposalBurst } from '../test/support/audit-burst.js';
import { launchChromium, startPanelHarness, type PanelHarness } from './panel-harness.js';

let browser: Browser;
let h: PanelHarness;

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
  await h.close(ctx.task.result?.state === 'fail', ctx.task.name);
});

it('finds the overrides made before 100,000 proposals, and pages through the burst', async () => {
  const lead = { name: 'lena', role: 'lead' } as const;
  const call = h.orch.control.call.bind(h.orch.control);
  await call(lead, 'setTrustThreshold', { value: 80, reason: 'trusted agents only this sprint' });
  h.token('adapter', 'unity');
  await call(lead, 'resetToken', { engine: 'unity', reason: 'key leaked in a screenshot' });
  await h.orch.brain.write([panicRecord(h.orch.brain, 'disk full')]);
  await call(lead, 'emergencyUnlock', { acknowledge: EMERGENCY_ACK, reason: 'disk cleaned, state checked by hand' });
  await proposalBurst(h.orch.brain, 100_000);

  const page = await h.open('viewer', 'vic');
  await page.getByRole('button', { name: /Audit log/ }).click();
  // The live view holds only the newest entries: the burst.
  await page.getByTestId('audit-row').filter({ hasText: 'edit proposal p99999 on obj_499' }).waitFor();
  await page.getByLabel('Filter by kind').selectOption('token_reset');
  await page.getByText('No recent entry matches the filter').waitFor();
  await page.getByRole('button', { name: 'Search the full log' }).click();
  await page.getByTestId('audit-full').filter({ hasText: '1 entry from the full log, newest first — that is every match.' }).waitFor();
  await page.getByTestId('audit-row').filter({ hasText: 'key leaked in a screenshot' }).waitFor();

  await page.getByLabel('Filter by kind').selectOption('');
  await page.getByLabel('Filter by actor').fill('lena');
  await page.getByRole('button', { name: 'Search the full log' }).click();
  await page.getByTestId('audit-full').filter({ hasText: '3 entries from the full log' }).waitFor();
  const kinds = await page.getByTestId('audit-row').locator('.kindtag').allTextContents();
  expect(kinds).toEqual(['emergency_unlock', 'token_reset', 'trust_threshold']);

  // One agent's proposals, a page at a time, newest first.
  await page.getByLabel('Filter by actor').fill('agent-3');
  await page.getByRole('button', { name: 'Search the full log' }).click();
  await page.getByTestId('audit-full').filter({ hasText: '200 entries from the full log, newest first — older matches remain.' }).waitFor();
  await page.getByRole('button', { name: 'Load older' }).click();
  await page.getByTestId('audit-full').filter({ hasText: '400 entries from the full log' }).waitFor();
  const first = await page.getByTestId('audit-row').first().locator('td').nth(4).textContent();
  expect(first).toBe('edit proposal p99998 on obj_498'); // the newest of agent-3's: 99998 % 7 === 3
  // Only the rows in view are in the page.
  expect(await page.getByTestId('audit-row').count()).toBeLessThan(100);
});
