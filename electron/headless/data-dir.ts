// Where a VibeSync orchestrator keeps its WAL, tokens and first lead token.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** --data wins, then $VIBESYNC_DATA, then ~/.vibesync. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.VIBESYNC_DATA) return resolve(env.VIBESYNC_DATA);
  return join(homedir(), '.vibesync');
}
