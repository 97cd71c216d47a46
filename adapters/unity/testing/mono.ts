// Builds the Unity package's engine-neutral core, the headless host and the NUnit tests with Mono's
// `mcs` (C# 7.2: the subset that Unity's Roslyn also compiles). Used by the tests and by bench/.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(PACKAGE_DIR, '../..');
export const INSTALL_HINT =
  'install Mono with: sudo apt-get install -y mono-mcs mono-devel libnunit-cil-dev nunit-console (or run scripts/setup.sh)';
const NUNIT_DIR = '/usr/lib/cli/nunit.framework-2.6.3';

function found(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export const hasMono = found('mcs') && found('mono');
export const hasNunit = hasMono && found('nunit-console') && existsSync(join(NUNIT_DIR, 'nunit.framework.dll'));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith('.cs')) out.push(p);
  }
  return out.sort();
}

function mcs(args: string[]): void {
  try {
    execFileSync('mcs', ['-langversion:7.2', '-nologo', '-warnaserror+', ...args], { stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`mcs failed:\n${String(err.stdout ?? '')}${String(err.stderr ?? '')}`);
  }
}

export interface Build {
  dir: string;
  core: string;
  host: string;
  tests: string;
}

/** Compiles into a fresh temporary folder (so parallel test files never share outputs). */
export function buildPackage(): Build {
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-unity-'));
  const core = join(dir, 'VibeSync.Core.dll');
  const host = join(dir, 'vibesync-unity-host.exe');
  const tests = join(dir, 'VibeSync.Core.Tests.dll');
  mcs(['-target:library', `-out:${core}`, ...sources(join(PACKAGE_DIR, 'Runtime/Core'))]);
  mcs([`-r:${core}`, `-out:${host}`, ...sources(join(PACKAGE_DIR, 'Host~'))]);
  if (hasNunit) {
    copyFileSync(join(NUNIT_DIR, 'nunit.framework.dll'), join(dir, 'nunit.framework.dll'));
    mcs([
      '-target:library',
      `-r:${core}`,
      `-r:${join(dir, 'nunit.framework.dll')}`,
      `-out:${tests}`,
      ...sources(join(PACKAGE_DIR, 'Tests/Core')),
    ]);
  }
  return { dir, core, host, tests };
}

/**
 * COMPILE CHECK ONLY: type-checks Editor/ against our signature-only stubs of the Unity APIs it calls
 * (Tests~/unity-stubs/). Proves the layer is C# 7.2 and calls only the stubbed members; says nothing about behaviour in Unity.
 */
export function compileEditorAgainstStubs(build: Build): string {
  const stubs = join(build.dir, 'UnityStubs.dll');
  const editor = join(build.dir, 'VibeSync.Editor.dll');
  mcs(['-target:library', `-out:${stubs}`, ...sources(join(PACKAGE_DIR, 'Tests~/unity-stubs'))]);
  mcs(['-target:library', `-r:${build.core}`, `-r:${stubs}`, `-out:${editor}`, ...sources(join(PACKAGE_DIR, 'Editor'))]);
  return editor;
}
