// Panel benchmark: the review queue with 10,000 PENDING in real Chromium (time to first render,
// DOM rows kept, scroll frame times), and approving 10,000 — through the UI (gateway → core,
// durable → update pushed back) and directly through the core. Needs the built panel and
// /usr/bin/chromium (CHROMIUM_PATH to override).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, proposeMany, rendererDir, startPanelHarness } from '../e2e/panel-harness.js';
import { buildRenderer } from '../scripts/build-panel.js';
import { median, percentile, round, type Figure } from './stats.js';

const N = 10_000;

// In-page scripts are strings: they run in Chromium, where the Node-side type lib and the
// TypeScript loader's helpers do not exist.
/** Clicks "Review queue" and resolves with the ms until the frame that shows its first row. */
const TIME_QUEUE_RENDER = `new Promise((resolve) => {
  const nav = [...document.querySelectorAll('.nav-item')].find((b) => b.textContent.startsWith('Review queue'));
  const t0 = performance.now();
  nav.click();
  const poll = () => document.querySelector('[data-testid="pending-row"]') ? requestAnimationFrame(() => resolve(performance.now() - t0)) : requestAnimationFrame(poll);
  poll();
})`;
/** Scrolls the queue 600 px per frame and resolves with the frame intervals (ms). */
const SCROLL_FRAMES = `new Promise((resolve) => {
  const el = document.querySelector('[data-testid="queue-scroll"]');
  const out = [];
  let last = performance.now();
  const step = () => {
    const now = performance.now();
    out.push(now - last);
    last = now;
    el.scrollTop += 600;
    if (out.length < 180 && el.scrollTop + el.clientHeight < el.scrollHeight) requestAnimationFrame(step); else resolve(out.slice(1));
  };
  requestAnimationFrame(step);
})`;
const OBJECTS = 200;

export async function benchPanel(): Promise<Figure[]> {
  if (!existsSync(join(rendererDir, 'index.html'))) await buildRenderer();
  const browser = await launchChromium();
  const h = await startPanelHarness(browser, {
    rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
    config: { maxPendingPerAgent: 1_000_000 },
  });
  const figures: Figure[] = [];
  try {
    await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: OBJECTS });
    await h.sim({ name: 'unity', roles: ['target'], objects: OBJECTS });
    const agent = await h.sim({ name: 'bulk-agent', roles: ['agent'] });

    let t = performance.now();
    await proposeMany(h, agent, N, OBJECTS, 'unity');
    figures.push({
      name: 'panel_seed_10k_proposals',
      value: round(N / ((performance.now() - t) / 1000)),
      unit: 'proposals/s',
      note: 'agent → WAL → PENDING',
    });

    const page = await h.context.newPage();
    t = performance.now();
    await page.goto(`${h.base}/#token=${h.token('lead', 'bench-lead')}`);
    await page.getByTestId('count-review').filter({ hasText: '10,000' }).waitFor();
    figures.push({
      name: 'panel_first_snapshot_10k_ms',
      value: round(performance.now() - t),
      unit: 'ms',
      note: 'page load → 10,000 pending mirrored',
    });

    // Screen switch to the queue, timed inside the page up to the frame that shows the rows.
    const renders: number[] = [];
    for (let i = 0; i < 7; i++) {
      await page.getByRole('button', { name: /Sync health/ }).click();
      await page.getByTestId('screen-health').waitFor();
      renders.push(await page.evaluate<number>(TIME_QUEUE_RENDER));
    }
    figures.push({
      name: 'panel_review_render_10k_ms',
      value: round(median(renders)),
      unit: 'ms',
      p95: round(percentile(renders, 95)),
      runs: renders.length,
    });
    figures.push({ name: 'panel_review_dom_rows_10k', value: await page.getByTestId('pending-row').count(), unit: 'rows', of: N });

    const frames = await page.evaluate<number[]>(SCROLL_FRAMES);
    figures.push({
      name: 'panel_review_scroll_frame_p95_ms',
      value: round(percentile(frames, 95)),
      unit: 'ms',
      median: round(median(frames)),
      frames: frames.length,
      note: '600 px per frame through 10,000 rows',
    });

    // Approve all 10,000 in the UI: reply after the core made it durable, then the queue empties via updates.
    await page.getByRole('button', { name: 'Select all' }).click();
    t = performance.now();
    await page.getByRole('button', { name: /^Approve 10,000/ }).click();
    // more than the lead's bulk-confirmation limit: the panel asks first (ReviewQueue's confirm dialog)
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Approve 10,000/ })
      .click();
    await page.getByText('Nothing waiting for review').waitFor({ timeout: 120_000 });
    const uiMs = performance.now() - t;
    figures.push({
      name: 'panel_approve_10k_ui_ms',
      value: round(uiMs),
      unit: 'ms',
      rate: round(N / (uiMs / 1000)),
      note: 'click → durable approval → queue empty in the page',
    });

    // The same through the core alone, on a fresh 10,000 from a second agent: 10,000 approvals
    // raised the first one's trust to the threshold, so trust mode would approve its next ones itself.
    const second = await h.sim({ name: 'bulk-agent-2', roles: ['agent'] });
    const pids = await proposeMany(h, second, N, OBJECTS, 'unity').then(() =>
      h.orch.control.state({ name: 'bench', role: 'lead' }).pending.map((p) => p.pid),
    );
    t = performance.now();
    const res = await h.orch.control.call({ name: 'bench', role: 'lead' }, 'approve', { pids });
    const coreMs = performance.now() - t;
    figures.push({
      name: 'panel_approve_10k_core_ms',
      value: round(coreMs),
      unit: 'ms',
      rate: round(res.approved.length / (coreMs / 1000)),
      approved: res.approved.length,
      note: 'ControlService.approve, returns once durable',
    });
  } finally {
    await h.close(false, 'bench');
    await browser.close();
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await benchPanel()) console.log(JSON.stringify(f));
}
