// Where the headless Godot 3 binary is for tests and benches, or why there is none:
// $VIBESYNC_GODOT if set, else `godot3-server` on PATH, else /usr/bin/godot3-server.
// No vitest import: bench/ uses it too.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const GODOT_INSTALL_HINT =
  'install it with `sudo apt-get install -y godot3-server` (or `bash scripts/setup.sh`), or point VIBESYNC_GODOT at a Godot 3 server binary';

export type GodotLookup = { path: string; reason: null } | { path: null; reason: string };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findGodot(env: NodeJS.ProcessEnv = process.env, fallbacks = ['/usr/bin/godot3-server']): GodotLookup {
  const chosen = env.VIBESYNC_GODOT;
  if (chosen) {
    return executable(chosen)
      ? { path: chosen, reason: null }
      : { path: null, reason: `VIBESYNC_GODOT=${chosen} is not an executable file` };
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((dir) => join(dir, 'godot3-server')), ...fallbacks]) {
    if (executable(candidate)) return { path: candidate, reason: null };
  }
  return { path: null, reason: 'no `godot3-server` on PATH nor at /usr/bin/godot3-server, and VIBESYNC_GODOT is not set' };
}

export const godotLookup = findGodot();
export const hasGodot = godotLookup.path !== null;
export const GODOT = godotLookup.path ?? 'godot3-server';

export function missingGodotMessage(what: string): string {
  return `\n*** SKIPPING ${what}: ${godotLookup.reason}.\n*** ${GODOT_INSTALL_HINT}.\n`;
}
