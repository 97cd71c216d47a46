// What the panel prints for a newcomer to type, computed by the running orchestrator so each
// command is exactly right for it: its data folder, and `npx` where `vibesync` is not on PATH.
export interface SetupHints {
  /** the `vibesync` command as it must be typed here, e.g. `npx vibesync` */
  cli: string;
  /** the data-folder flag for this orchestrator, e.g. `--data /home/me/vs` */
  dataFlag: string;
  /** where the Blender add-on zip is written, absolute */
  blenderZip: string;
  /** the command that builds that zip */
  blenderBuild: string;
}

/** The path the panel fetches the hints from (browser view; no sign-in needed: no secrets in it). */
export const SETUP_HINTS_PATH = '/setup-hints.json';

/** Fallbacks when the orchestrator gave none (desktop app, or an older orchestrator). */
export const DEFAULT_SETUP_HINTS: SetupHints = {
  cli: 'npx vibesync',
  dataFlag: '',
  blenderZip: 'dist/vibesync_blender.zip',
  blenderBuild: 'python3 adapters/blender/build_zip.py',
};

/** `vibesync token issue` as it must be typed for this orchestrator. */
export function tokenIssueCommand(h: SetupHints, role: string, name: string): string {
  return [h.cli, 'token', 'issue', '--role', role, '--name', name, h.dataFlag].filter(Boolean).join(' ');
}
