// Where the headless Godot 3 binary is for tests and benches, or why there is none:
// $VIBESYNC_GODOT if set, else `godot3-server` on PATH, else /usr/bin/godot3-server.
import { findEngine, missingEngineMessage, type EngineLookup } from '../../../test/support/find-engine.js';

export const GODOT_INSTALL_HINT =
  'install it with `sudo apt-get install -y godot3-server` (or `bash scripts/setup.sh`), or point VIBESYNC_GODOT at a Godot 3 server binary';

export type GodotLookup = EngineLookup;

export const findGodot = (env: NodeJS.ProcessEnv = process.env, fallbacks = ['/usr/bin/godot3-server']): GodotLookup =>
  findEngine('godot3-server', 'VIBESYNC_GODOT', env, fallbacks);

export const godotLookup = findGodot();
export const hasGodot = godotLookup.path !== null;
export const GODOT = godotLookup.path ?? 'godot3-server';

export const missingGodotMessage = (what: string): string => missingEngineMessage(what, godotLookup, GODOT_INSTALL_HINT);
