// `vibesync token issue|list|revoke|reset`: manage tokens in a data folder. A new token goes to
// stdout alone (so scripts can capture it); the explanation goes to stderr.
import { parseArgs } from 'node:util';
import { TokenRole } from '../../shared/ipc/index.js';
import { TokenStore } from '../core/auth/tokens.js';
import { CliError } from './cli-error.js';
import { resolveDataDir } from './data-dir.js';

export const TOKEN_USAGE = `vibesync token issue --role adapter|agent|viewer|reviewer|lead --name NAME [--data DIR]
vibesync token reset --name NAME [--role ROLE] [--data DIR]
vibesync token revoke --id ID [--data DIR]
vibesync token list [--data DIR]`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

function role(value: string | undefined): TokenRole | undefined {
  if (value === undefined) return undefined;
  const r = TokenRole.safeParse(value);
  if (!r.success) throw new CliError(`--role must be one of ${TokenRole.options.join(', ')} (got "${value}").`);
  return r.data;
}

export function tokenCommand(argv: string[], io: Io): number {
  const [action, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: false,
    options: { role: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' }, data: { type: 'string' } },
  });
  const dataDir = resolveDataDir(values.data);
  const store = new TokenStore(dataDir);
  switch (action) {
    case 'issue': {
      const r = role(values.role);
      if (!r || !values.name) throw new CliError('token issue needs --role and --name.');
      const { id, token } = store.issue(r, values.name);
      io.out(token);
      io.err(`Issued ${r} token "${values.name}" (${id}) in ${dataDir}. It is shown only this once: store it now.`);
      return 0;
    }
    case 'reset': {
      if (!values.name) throw new CliError('token reset needs --name.');
      const { id, token } = store.reset(values.name, role(values.role));
      io.out(token);
      io.err(`Revoked the old tokens of "${values.name}" and issued ${id}. It is shown only this once: store it now.`);
      return 0;
    }
    case 'revoke': {
      if (!values.id) throw new CliError('token revoke needs --id (see `vibesync token list`).');
      if (!store.revoke(values.id)) throw new CliError(`No live token with id ${values.id}.`, 1);
      io.err(`Revoked ${values.id}.`);
      return 0;
    }
    case 'list': {
      for (const t of store.list()) {
        io.out(`${t.id}\t${t.role}\t${t.name}\t${new Date(t.createdAt).toISOString()}\t${t.revokedAt === null ? 'live' : 'revoked'}`);
      }
      return 0;
    }
    default:
      throw new CliError(`Unknown token action "${action ?? ''}". Usage:\n${TOKEN_USAGE}`);
  }
}
