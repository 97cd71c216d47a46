// Runs python3 (or Blender's Python) scripts for the Blender adapter's tests, from the repo root.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BLENDER } from './find-blender.js';

export { BLENDER, hasBlender } from './find-blender.js';
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

export const runPython = (args: string[], opts?: { input?: string; env?: Record<string, string> }) => run('python3', args, opts);

/** Runs a script inside headless Blender with the add-on's package importable. */
export const runBlender = (script: string, args: string[] = [], opts?: { input?: string; env?: Record<string, string> }) =>
  run(BLENDER, ['-b', '--factory-startup', '-noaudio', '--python-exit-code', '1', '--python', script, '--', ...args], opts);
