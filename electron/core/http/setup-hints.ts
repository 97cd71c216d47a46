// The setup hints of a running orchestrator (see shared/ipc/setup-hints.ts): computed once at
// start from its data folder, the PATH, the working directory and where this repository is.
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SetupHints } from '../../../shared/ipc/index.js';

export const REPO_DIR = fileURLToPath(new URL('../../..', import.meta.url)).replace(/[\\/]$/, '');

/** A path as one shell word, so a printed command can be pasted. */
export const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function onPath(command: string, path: string): boolean {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      /* not here */
    }
  }
  return false;
}

export interface SetupHintsInput {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  repoDir?: string;
}

/** `vibesync` when it is on PATH; else `npx vibesync` in the repository, `npx --prefix REPO vibesync` elsewhere. */
export function cliCommand({ env = process.env, cwd = process.cwd(), repoDir = REPO_DIR }: Omit<SetupHintsInput, 'dataDir'>): string {
  if (onPath('vibesync', env.PATH ?? '')) return 'vibesync';
  return resolve(cwd) === resolve(repoDir) ? 'npx vibesync' : `npx --prefix ${shellWord(repoDir)} vibesync`;
}

export function setupHints(input: SetupHintsInput): SetupHints {
  const repoDir = input.repoDir ?? REPO_DIR;
  return {
    cli: cliCommand(input),
    dataFlag: `--data ${shellWord(input.dataDir)}`,
    blenderZip: join(repoDir, 'dist', 'vibesync_blender.zip'),
    blenderBuild: `python3 ${shellWord(join(repoDir, 'adapters', 'blender', 'build_zip.py'))}`,
  };
}
