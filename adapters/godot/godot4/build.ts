// Generates the Godot 4.x build of the add-on from the 3.x sources (the ones run on godot3-server):
// adapters/godot/{addons/vibesync,tests} → rewrite.ts → overlay/ (the 4.x halves of the shim and a
// Godot 4 project.godot) on top → check.ts → adapters/godot/godot4/project/. Deterministic: the same
// sources give the same bytes (godot4.test.ts keeps the committed build equal to a fresh one).
//   node --import tsx adapters/godot/godot4/build.ts          writes the build
//   node --import tsx adapters/godot/godot4/build.ts --check  only says whether it is up to date
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBuild, type Problem } from './check.js';
import { rewrite } from './rewrite.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const GODOT3_ROOT = resolve(HERE, '..');
export const OVERLAY = join(HERE, 'overlay');
export const OUT = join(HERE, 'project');
const SOURCES = ['addons/vibesync', 'tests'];

export class BuildError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`the Godot 4 build has ${problems.length} problem(s):\n${problems.map((p) => `  ${p.file}:${p.line}: ${p.message}`).join('\n')}`);
    this.name = 'BuildError';
  }
}

/** Every file under `root` (relative paths with '/'), sorted. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return out;
}

const header = (source: string) =>
  `# GENERATED for Godot 4.x by adapters/godot/godot4/build.ts from adapters/godot/${source}: edit that\n` +
  `# file (the 3.x source, run on godot3-server) and rebuild. Never run on Godot 4 (docs/adapters/godot.md).\n`;

/** The 4.x build in memory (path → text), from the 3.x sources and the overlay. Throws BuildError. */
export function generate(godot3Root = GODOT3_ROOT, overlay = OVERLAY): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of SOURCES) {
    for (const rel of listFiles(join(godot3Root, dir))) {
      const path = `${dir}/${rel}`;
      const text = readFileSync(join(godot3Root, path), 'utf8');
      const out = path.endsWith('.gd') ? rewrite(text) : text;
      files.set(path, out === text ? text : header(path) + out);
    }
  }
  for (const rel of listFiles(overlay)) files.set(rel, readFileSync(join(overlay, rel), 'utf8'));
  const problems = checkBuild(files);
  if (problems.length > 0) throw new BuildError(problems);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Paths whose bytes in `dir` differ from `files` (or exist on one side only). */
export function staleFiles(files: ReadonlyMap<string, string>, dir = OUT): string[] {
  const onDisk = (() => {
    try {
      return listFiles(dir);
    } catch {
      return [];
    }
  })();
  const stale = onDisk.filter((p) => !files.has(p));
  for (const [path, text] of files) {
    if (!onDisk.includes(path) || readFileSync(join(dir, path), 'utf8') !== text) stale.push(path);
  }
  return stale.sort();
}

export function writeBuild(files: ReadonlyMap<string, string>, dir = OUT): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const files = generate();
    if (process.argv.includes('--check')) {
      const stale = staleFiles(files);
      console.log(stale.length === 0 ? 'Godot 4 build up to date' : `Godot 4 build out of date: ${stale.join(', ')}`);
      process.exitCode = stale.length === 0 ? 0 : 1;
    } else {
      writeBuild(files);
      console.log(`Godot 4 build: ${files.size} files in ${relative(process.cwd(), OUT) || '.'}`);
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
