// The `vibesync` command line: one function per subcommand; expected failures become one
// sentence on stderr and an exit code, never a stack trace.
import { VibeSyncError } from '../../shared/protocol/index.js';
import { SIM_USAGE, SimArgsError, parseSimArgs, runSim } from '../../adapters/sim/cli.js';
import { AUDIT_USAGE, auditCommand } from './audit-command.js';
import { CliError } from './cli-error.js';
import { HEADLESS_USAGE, headlessCommand } from './headless-command.js';
import { cliLogger } from './logger.js';
import { startCommand } from './start-command.js';
import { TOKEN_USAGE, tokenCommand, type Io } from './token-command.js';

const USAGE = `Usage:
  vibesync start [--host H] [--port P] [--data DIR]      desktop app (or headless when Electron is absent)
  ${HEADLESS_USAGE}
  ${TOKEN_USAGE.split('\n').join('\n  ')}
  ${AUDIT_USAGE}
  ${SIM_USAGE}
  vibesync mcp                                           stdio MCP server for AI tools ($VIBESYNC_URL, $VIBESYNC_TOKEN, $VIBESYNC_AGENT)
  vibesync build-panel                                   build the browser/desktop panel into dist/
Data folder: --data, else $VIBESYNC_DATA, else ~/.vibesync. Logs: JSON on stderr ($VIBESYNC_LOG_LEVEL).`;

const stdio: Io = { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };

async function simCommand(argv: string[]): Promise<number> {
  const opts = parseSimArgs(argv);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  return runSim(opts, cliLogger('vibesync-sim'), controller.signal);
}

/** `build-panel` belongs to the panel: scripts/build-panel.ts (buildPanel) does the work. */
async function buildPanelCommand(): Promise<number> {
  const { buildPanel } = await import('../../scripts/build-panel.js');
  await buildPanel();
  return 0;
}

/** A disk the data folder cannot be written to: not a bug of ours, and nothing a stack trace explains. */
const DISK_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EIO: 'the disk reported an I/O error',
};

/** One sentence and exit 1 for a data folder on a full, read-only or failing disk. */
export function diskError(e: unknown): CliError | null {
  const err = e as NodeJS.ErrnoException | null;
  const why = typeof err?.code === 'string' ? DISK_ERRORS[err.code] : undefined;
  if (!why) return null;
  const where = err!.path ? ` ${err!.path}` : ' its data folder';
  return new CliError(`VibeSync cannot write to${where}: ${why} (${err!.code}). Free some space or make it writable, then try again.`, 1);
}

function expected(e: unknown): string | null {
  if (e instanceof CliError || e instanceof SimArgsError) return e.message;
  if (e instanceof VibeSyncError) return e.message;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return `${(e as Error).message}. Run \`vibesync help\` for usage.`;
  if (code === 'ECONNREFUSED') return `Nothing is listening there (${(e as Error).message}); is the orchestrator running?`;
  return null;
}

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await startCommand(rest, cliLogger(), io);
      case 'headless':
        return await headlessCommand(rest, cliLogger(), io);
      case 'token':
        return tokenCommand(rest, io);
      case 'audit':
        return auditCommand(rest, io);
      case 'sim':
        return await simCommand(rest);
      case 'mcp':
        return await (await import('../../adapters/mcp/server.js')).runMcp();
      case 'build-panel':
        return await buildPanelCommand();
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      default:
        io.err(`Unknown command "${command}".\n${USAGE}`);
        return 2;
    }
  } catch (caught) {
    const e = diskError(caught) ?? caught;
    const sentence = expected(e);
    if (sentence === null) throw e;
    io.err(sentence);
    return e instanceof CliError ? e.exitCode : 2;
  }
}
