// `vibesync headless`: the orchestrator under plain Node, with the browser panel. Prints where
// everything is (and the first lead token, once), then runs until SIGINT / SIGTERM.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { FIRST_LEAD_FILE } from '../core/auth/tokens.js';
import { startOrchestrator, type Orchestrator } from '../core/orchestrator.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../core/http/server.js';
import { cliCommand, shellWord } from '../core/http/setup-hints.js';
import { CliError } from './cli-error.js';
import { resolveDataDir } from './data-dir.js';
import type { Io } from './token-command.js';

export const HEADLESS_USAGE = 'vibesync headless [--host 127.0.0.1] [--port 7420] [--data DIR]   (port 0 = any free port)';

export interface HeadlessArgs {
  host: string;
  port: number;
  dataDir: string;
}

export function parseHeadlessArgs(argv: string[]): HeadlessArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string', default: DEFAULT_HOST },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      data: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be 0–65535 (got "${values.port}").`);
  return { host: values.host, port, dataDir: resolveDataDir(values.data) };
}

const panelBuilt = () => existsSync(fileURLToPath(new URL('../../dist/renderer/index.html', import.meta.url)));

/** Starts the orchestrator and prints its addresses; the caller decides how long it runs. */
export async function startHeadless(args: HeadlessArgs, logger: Logger, io: Io): Promise<Orchestrator> {
  let orch: Orchestrator;
  try {
    orch = await startOrchestrator({ dataDir: args.dataDir, host: args.host, port: args.port, logger });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new CliError(`Port ${args.port} on ${args.host} is already in use (another VibeSync running?); pick another with --port.`, 1);
    if (code === 'WAL_LOCKED')
      throw new CliError(
        `Another VibeSync orchestrator (pid ${(e as { pid?: number }).pid}) is using ${args.dataDir}; stop it or pick another folder with --data.`,
        1,
      );
    if (code === 'EACCES' || code === 'EPERM')
      throw new CliError(`Not allowed to use ${args.host}:${args.port} or ${args.dataDir} (${code}).`, 1);
    throw e;
  }
  const hostForUrl = args.host.includes(':') ? `[${args.host}]` : args.host;
  const http = `http://${hostForUrl}:${orch.port}`;
  const cli = cliCommand({});
  io.out(`VibeSync orchestrator running headless; data in ${args.dataDir}`);
  io.out(
    panelBuilt()
      ? `Panel:    ${http}/   (sign in with a viewer, reviewer or lead token)`
      : `Panel:    ${http}/   (not built yet: run \`${cli} build-panel\`, then reload)`,
  );
  io.out(`Adapters: ws://${hostForUrl}:${orch.port}/adapter`);
  io.out(`Health:   ${http}/healthz`);
  if (orch.firstLead) {
    io.out(`First lead token (shown once, also saved to ${orch.firstLead.file}, mode 0600):`);
    io.out(`  ${orch.firstLead.token}`);
  } else {
    const file = join(args.dataDir, FIRST_LEAD_FILE);
    const reset = `${cli} token reset --name lead --data ${shellWord(args.dataDir)}`;
    const saved = existsSync(file) ? orch.tokens.verify(readFileSync(file, 'utf8').trim()) : null;
    io.out(
      saved?.role === 'lead'
        ? `Lead token: in ${file} (written on the first start; delete the file once the token is stored safely).`
        : `Lead token: issued on the first start (${file} is gone or no longer valid).`,
    );
    io.out(`  Lost it? \`${reset}\` prints a new one and revokes the old.`);
  }
  if (args.host !== '127.0.0.1' && args.host !== 'localhost' && args.host !== '::1') {
    io.err(`Warning: listening on ${args.host}, not loopback: anyone who can reach this address can try tokens against it.`);
  }
  return orch;
}

/** Runs until SIGINT / SIGTERM, then closes cleanly. */
export async function headlessCommand(argv: string[], logger: Logger, io: Io): Promise<number> {
  const orch = await startHeadless(parseHeadlessArgs(argv), logger, io);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info({ signal }, 'shutting down');
  await orch.close();
  io.out('VibeSync orchestrator stopped.');
  return 0;
}
