// Where the Blender binary is for tests and benchmarks, or why there is none: $VIBESYNC_BLENDER if
// set, else `blender` on PATH, else /usr/bin/blender.
import { findEngine, missingEngineMessage, type EngineLookup } from '../../../test/support/find-engine.js';

export const INSTALL_HINT =
  'install it with `sudo apt-get install -y blender` (or `bash scripts/setup.sh`), or point VIBESYNC_BLENDER at a Blender binary';

export type BlenderLookup = EngineLookup;

export const findBlender = (env: NodeJS.ProcessEnv = process.env, fallbacks = ['/usr/bin/blender']): BlenderLookup =>
  findEngine('blender', 'VIBESYNC_BLENDER', env, fallbacks);

export const blenderLookup = findBlender();
export const hasBlender = blenderLookup.path !== null;
/** The binary to spawn; only meaningful when hasBlender. */
export const BLENDER = blenderLookup.path ?? 'blender';

/** One loud line naming what is missing and how to install it. */
export const missingBlenderMessage = (what: string): string => missingEngineMessage(what, blenderLookup, INSTALL_HINT);
