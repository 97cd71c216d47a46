// `vibesync start`: the desktop app when Electron's binary is present, otherwise the headless
// orchestrator with the browser panel — with one sentence saying why, never a stack trace.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { headlessCommand, parseHeadlessArgs } from './headless-command.js';
import type { Io } from './token-command.js';

export type ElectronProbe = { ok: true; binary: string } | { ok: false; why: string };

/** Where Electron's executable is, or why there is none (e.g. installed with ELECTRON_SKIP_BINARY_DOWNLOAD). */
export function probeElectron(resolveElectron: () => unknown = () => createRequire(import.meta.url)('electron')): ElectronProbe {
  let found: unknown;
  try {
    found = resolveElectron();
  } catch {
    // Electron's own message ("failed to install correctly, please delete node_modules/electron…")
    // is wrong here: its binary download is skipped on purpose (scripts/setup.sh).
    return { ok: false, why: 'scripts/setup.sh skips its download' };
  }
  if (typeof found !== 'string') return { ok: false, why: 'the electron package did not give an executable path' };
  if (!existsSync(found)) return { ok: false, why: `${found} does not exist` };
  return { ok: true, binary: found };
}

export const builtMain = () => fileURLToPath(new URL('../../dist/electron/main.cjs', import.meta.url));
export const builtPanel = () => fileURLToPath(new URL('../../dist/renderer/index.html', import.meta.url));

/** Builds the panel (dist/renderer, dist/electron) the first time `start` runs on a machine. */
async function defaultBuild(): Promise<void> {
  const { buildPanel } = await import('../../scripts/build-panel.js');
  await buildPanel({ quiet: true });
}

export interface StartDeps {
  probe?: ElectronProbe;
  /** whether the panel build is there (default: dist/renderer/index.html and dist/electron/main.cjs exist) */
  built?: () => boolean;
  build?: () => Promise<void>;
}

/** Builds the panel when it is missing; a failed build is one sentence, and `start` goes on headless. */
export async function ensurePanelBuilt(io: Io, deps: StartDeps = {}): Promise<boolean> {
  const built = deps.built ?? (() => existsSync(builtPanel()) && existsSync(builtMain()));
  if (built()) return true;
  io.out('First start: building the panel (once; takes about a minute)…');
  try {
    await (deps.build ?? defaultBuild)();
  } catch (e) {
    io.err(
      `The panel could not be built (${String((e as Error).message ?? e).split('\n')[0]}); run \`npx vibesync build-panel\` to see why.`,
    );
    return false;
  }
  io.out('Panel built.');
  return true;
}

export async function startCommand(argv: string[], logger: Logger, io: Io, deps: StartDeps = {}): Promise<number> {
  const args = parseHeadlessArgs(argv);
  const probe = deps.probe ?? probeElectron();
  await ensurePanelBuilt(io, deps);
  const main = builtMain();
  const where = args.port === 0 ? 'the panel address below' : `http://${args.host}:${args.port}/`;
  if (!probe.ok) {
    io.out(`Electron's binary is not installed here (${probe.why}), so VibeSync runs headless: open ${where} in a browser.`);
    return headlessCommand(argv, logger, io);
  }
  if (!existsSync(main)) {
    io.out(
      `The desktop app is not built yet (${main} is missing; run \`vibesync build-panel\`); starting headless instead — open ${where} in a browser.`,
    );
    return headlessCommand(argv, logger, io);
  }
  const child = spawn(probe.binary, [main, ...argv], { stdio: 'inherit', env: { ...process.env, VIBESYNC_DATA: args.dataDir } });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) => child.once('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  return code;
}
