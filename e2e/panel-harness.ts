// E2E harness: a real orchestrator in a fresh data folder on 127.0.0.1 port 0 serving the built
// panel, simulator peers with their own tokens, and Chromium pages signed in by role. Each test
// gets its own; a failing test leaves a Playwright trace and a screenshot in test-output/.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { pino } from 'pino';
import { SimAdapter, type SimOptions } from '../adapters/sim/sim-adapter.js';
import { startOrchestrator, type Orchestrator, type OrchestratorOptions } from '../electron/core/orchestrator.js';
import type { Mutation } from '../shared/protocol/index.js';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
export const rendererDir = join(repo, 'dist', 'renderer');
export const outDir = join(repo, 'test-output');
export const screenshotDir = join(outDir, 'screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface PanelHarness {
  orch: Orchestrator;
  base: string;
  sims: SimAdapter[];
  context: BrowserContext;
  token(role: 'viewer' | 'reviewer' | 'lead' | 'adapter' | 'agent', name: string): string;
  sim(opts: Omit<SimOptions, 'url' | 'token'>): Promise<SimAdapter>;
  open(role: 'viewer' | 'reviewer' | 'lead', name: string): Promise<Page>;
  /** Stops the orchestrator (peers see it go) and starts a new one on the same data folder. */
  restartOrchestrator(extra?: Partial<OrchestratorOptions>): Promise<Orchestrator>;
  /** Keeps the trace and a screenshot when the test failed. */
  close(failed: boolean, testName: string): Promise<void>;
}

export async function startPanelHarness(browser: Browser, extra: Partial<OrchestratorOptions> = {}): Promise<PanelHarness> {
  if (!existsSync(join(rendererDir, 'index.html')))
    throw new Error('panel not built: run `node bin/vibesync.mjs build-panel` (npm run e2e does)');
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-e2e-'));
  const options = (more: Partial<OrchestratorOptions> = {}): OrchestratorOptions => ({
    dataDir: dir,
    port: 0,
    logger: pino({ level: process.env.E2E_LOG ?? 'silent' }),
    staticDir: rendererDir,
    ...extra,
    ...more,
  });
  let orch = await startOrchestrator(options());
  const base = `http://127.0.0.1:${orch.port}`;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, colorScheme: 'dark' });
  await context.tracing.start({ screenshots: true, snapshots: true });
  const h: PanelHarness = {
    get orch() {
      return orch;
    },
    base,
    sims: [],
    context,
    token: (role, name) => orch.tokens.issue(role, name).token,
    async restartOrchestrator(more) {
      await orch.close();
      orch = await startOrchestrator(options(more));
      return orch;
    },
    async sim(opts) {
      const role = opts.roles.includes('agent') ? 'agent' : 'adapter';
      const s = new SimAdapter({ ...opts, url: orch.url, token: h.token(role, opts.name) });
      h.sims.push(s);
      await s.connect();
      // A source's initial snapshot follows its blob upload, later than `welcome`, and is not acked:
      // go on once the orchestrator holds every object of it, so an agent's edit names known objects.
      if (opts.roles.includes('source')) {
        const ids = s.scene.toScene().objects.map((o) => o.id);
        await s.until(() => ids.every((id) => orch.brain.state.scene.objects.has(id)), `${opts.name}'s initial snapshot held`);
      }
      return s;
    },
    async open(role, name) {
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[page ${name}] ${e.message}`));
      await page.goto(`${base}/#token=${encodeURIComponent(h.token(role, name))}`);
      await page.getByTestId('me').filter({ hasText: name }).waitFor();
      return page;
    },
    async close(failed, testName) {
      const slug = testName.replace(/\W+/g, '-').toLowerCase();
      if (failed) {
        mkdirSync(join(outDir, 'traces'), { recursive: true });
        const pages = context.pages();
        await pages
          .at(-1)
          ?.screenshot({ path: join(outDir, 'traces', `${slug}.png`) })
          .catch(() => undefined);
        await context.tracing.stop({ path: join(outDir, 'traces', `${slug}.zip`) });
        console.error(`trace kept: test-output/traces/${slug}.zip (npx playwright show-trace)`);
      } else {
        await context.tracing.stop();
      }
      await context.close();
      for (const s of h.sims) s.crash();
      await orch.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** The README shows the screenshots of the last passing run. */
export function publishScreenshots(): void {
  if (!existsSync(screenshotDir)) return;
  const docs = join(repo, 'docs', 'screenshots');
  mkdirSync(docs, { recursive: true });
  for (const f of readdirSync(screenshotDir)) if (f.endsWith('.png')) copyFileSync(join(screenshotDir, f), join(docs, f));
}

/** Sends `n` edit proposals from `agent` (cycling over obj_0…obj_{objects-1}, all routed to `target`) and waits until all are PENDING. */
export async function proposeMany(
  h: Pick<PanelHarness, 'orch'>,
  agent: SimAdapter,
  n: number,
  objects: number,
  target: string,
): Promise<string[]> {
  const pids: string[] = [];
  for (let i = 0; i < n; i++) {
    const m: Mutation = {
      mid: `bulk-${i}`,
      targets: [target],
      op: 'set_transform',
      objectId: `obj_${i % objects}`,
      transform: { position: [i * 0.001, 1, -i * 0.002] },
    };
    pids.push(agent.proposeEdit(m, `bulk proposal ${i}`));
  }
  // Polled on a timer only: the whole panel state is built per look, so looking on each of the
  // agent's 10,000 replies (as `until` does) cost the run more than the proposals themselves.
  const viewer = { name: 'harness', role: 'viewer' as const };
  const deadline = Date.now() + 120_000;
  while (h.orch.control.state(viewer).pending.length < n) {
    if (Date.now() > deadline) throw new Error(`${n} proposals not pending within 120 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return pids;
}
