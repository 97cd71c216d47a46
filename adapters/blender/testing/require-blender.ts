// The one gate every Blender test file uses. Without Blender the file's tests are skipped with a
// loud reason; under CI=true a missing Blender is a failure instead (CI installs it through
// scripts/setup.sh, so its absence there means the setup broke, not that the tests may be skipped).
import { it } from 'vitest';
import { blenderLookup, hasBlender, INSTALL_HINT, missingBlenderMessage } from './find-blender.js';

export const isCI = (env: NodeJS.ProcessEnv = process.env) => env.CI === 'true' || env.CI === '1';

/** True when the caller must skip its Blender tests (after printing why). */
export function skipWithoutBlender(what: string): boolean {
  if (hasBlender) return false;
  console.warn(missingBlenderMessage(what));
  if (isCI()) {
    it(`${what}: Blender is required when CI=true`, () => {
      throw new Error(`${blenderLookup.reason}; ${INSTALL_HINT}`);
    });
  }
  return true;
}
