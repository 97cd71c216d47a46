// The gate every Godot test file uses: without Godot its tests are skipped with a loud reason;
// under CI=true a missing Godot is a failure naming the apt command instead.
import { it } from 'vitest';
import { GODOT_INSTALL_HINT, godotLookup, hasGodot, missingGodotMessage } from './find-godot.js';

export const isCI = (env: NodeJS.ProcessEnv = process.env) => env.CI === 'true' || env.CI === '1';

export function skipWithoutGodot(what: string): boolean {
  if (hasGodot) return false;
  console.warn(missingGodotMessage(what));
  if (isCI()) {
    it(`${what}: Godot is required when CI=true`, () => {
      throw new Error(`${godotLookup.reason}; ${GODOT_INSTALL_HINT}`);
    });
  }
  return true;
}
