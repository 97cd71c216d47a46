// `vibesync audit verify [--data DIR]`: walks the audit log's hash chain (read only, safe while
// the orchestrator runs) and prints OK with the count, or the first broken entry and why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAuditDir } from '../core/audit/index.js';
import { CliError } from './cli-error.js';
import { resolveDataDir } from './data-dir.js';
import type { Io } from './token-command.js';

export const AUDIT_USAGE = "vibesync audit verify [--data DIR]                     check the audit log's hash chain";

export function auditCommand(argv: string[], io: Io): number {
  const [action, ...rest] = argv;
  const { values } = parseArgs({ args: rest, strict: true, allowPositionals: false, options: { data: { type: 'string' } } });
  if (action !== 'verify') throw new CliError(`Unknown audit action "${action ?? ''}". Usage:\n  ${AUDIT_USAGE}`);
  const dir = join(resolveDataDir(values.data), 'audit');
  if (!existsSync(dir)) throw new CliError(`No audit log in ${dir}: has an orchestrator run with this data folder?`);
  const r = verifyAuditDir(dir);
  if (!r.ok) {
    io.out(`BROKEN at seq ${r.seq} (${r.file}): ${r.reason}. Entries 1–${r.count} verify; nothing from seq ${r.seq} on can be trusted.`);
    return 1;
  }
  const torn = r.tornBytes ? ` A torn last line (${r.tornBytes} bytes, a crash mid-write) is cut when the orchestrator next starts.` : '';
  io.out(`OK: ${r.count.toLocaleString('en-US')} entries, hash chain intact (head ${r.head.slice(0, 16)}…) in ${dir}.${torn}`);
  return 0;
}
