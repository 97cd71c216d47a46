// The one gate the Unity test file uses: without Mono its tests are skipped with a loud reason;
// under CI=true a missing Mono is a failing test instead (CI installs it through scripts/setup.sh).
import { it } from 'vitest';
import { hasMono, hasNunit, INSTALL_HINT } from './mono.js';

/** True when the caller must skip (after printing why); under CI=true the missing tool is a failing test instead. */
export function skipWithoutMono(what: string, needNunit = false): boolean {
  const ok = needNunit ? hasNunit : hasMono;
  if (ok) return false;
  const reason = `${what}: ${needNunit ? 'mcs, mono or nunit-console' : 'mcs or mono'} is not installed; ${INSTALL_HINT}`;
  console.warn(`\n*** SKIPPED ${reason} ***\n`);
  if (process.env.CI === 'true' || process.env.CI === '1') {
    it(`${what}: Mono is required when CI=true`, () => {
      throw new Error(reason);
    });
  }
  return true;
}
