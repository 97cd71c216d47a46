// Test and bench support: where an engine's binary is, or why there is none — $VIBESYNC_<ENGINE>
// if set, else the binary on PATH, else the given fallbacks. No vitest import: bench/ uses it too.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type EngineLookup = { path: string; reason: null } | { path: null; reason: string };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `binary` looked up via `envVar`, then PATH, then `fallbacks`. */
export function findEngine(binary: string, envVar: string, env: NodeJS.ProcessEnv, fallbacks: readonly string[]): EngineLookup {
  const chosen = env[envVar];
  if (chosen) {
    return executable(chosen) ? { path: chosen, reason: null } : { path: null, reason: `${envVar}=${chosen} is not an executable file` };
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const candidate of [...dirs.map((dir) => join(dir, binary)), ...fallbacks]) {
    if (executable(candidate)) return { path: candidate, reason: null };
  }
  const also = fallbacks.length ? ` nor at ${fallbacks.join(', ')}` : '';
  return { path: null, reason: `no \`${binary}\` on PATH (${dirs.length} directories searched)${also}, and ${envVar} is not set` };
}

/** One loud line naming what is missing and how to install it. */
export const missingEngineMessage = (what: string, lookup: EngineLookup, hint: string): string =>
  `\n*** SKIPPING ${what}: ${lookup.reason}.\n*** ${hint}.\n`;
