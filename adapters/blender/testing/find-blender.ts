// Where the Blender binary is for tests and benchmarks, or why there is none: $VIBESYNC_BLENDER if
// set, else `blender` on PATH, else /usr/bin/blender. No vitest import: bench/ uses it too.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const INSTALL_HINT =
  'install it with `sudo apt-get install -y blender` (or `bash scripts/setup.sh`), or point VIBESYNC_BLENDER at a Blender binary';

export type BlenderLookup = { path: string; reason: null } | { path: null; reason: string };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findBlender(env: NodeJS.ProcessEnv = process.env, fallbacks = ['/usr/bin/blender']): BlenderLookup {
  const chosen = env.VIBESYNC_BLENDER;
  if (chosen) {
    return executable(chosen)
      ? { path: chosen, reason: null }
      : { path: null, reason: `VIBESYNC_BLENDER=${chosen} is not an executable file` };
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((dir) => join(dir, 'blender')), ...fallbacks]) {
    if (executable(candidate)) return { path: candidate, reason: null };
  }
  const also = fallbacks.length ? ` nor at ${fallbacks.join(', ')}` : '';
  return { path: null, reason: `no \`blender\` on PATH (${dirs.length} directories searched)${also}, and VIBESYNC_BLENDER is not set` };
}

export const blenderLookup = findBlender();
export const hasBlender = blenderLookup.path !== null;
/** The binary to spawn; only meaningful when hasBlender. */
export const BLENDER = blenderLookup.path ?? 'blender';

/** One loud line naming what is missing and how to install it. */
export function missingBlenderMessage(what: string): string {
  return `\n*** SKIPPING ${what}: ${blenderLookup.reason}.\n*** ${INSTALL_HINT}.\n`;
}
