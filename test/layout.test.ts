// No file under electron/ is test or bench support: every file there that is not a test is reached,
// import by import, from an entry point the product ships (the Electron main process and its
// preload, the vibesync CLI). Test support lives in test/support/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
// Entry points: the Electron main and preload, the headless CLI, and the frame worker (started by URL, bundled on its own).
const ENTRIES = [
  'electron/main/main.ts',
  'electron/preload/index.ts',
  'electron/headless/main.ts',
  'electron/core/offload/frame-worker.ts',
];
const isTest = (f: string) => /\.test\.tsx?$/.test(f);

function filesUnder(dir: string): string[] {
  return readdirSync(join(repo, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The repository files `file` imports (static, re-export, side-effect and dynamic imports of relative paths). */
function importsOf(file: string): string[] {
  const source = readFileSync(join(repo, file), 'utf8');
  const out: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const spec = join(dirname(file), m[1]!);
    const found = [spec.replace(/\.js$/, '.ts'), spec.replace(/\.js$/, '.tsx'), spec].find((p) => existsSync(join(repo, p)));
    if (found) out.push(found);
  }
  return out;
}

function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length) {
    const f = queue.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    if (/\.tsx?$/.test(f)) queue.push(...importsOf(f));
  }
  return seen;
}

describe('repository layout', () => {
  it('ships every file under electron/ that is not a test: no test or bench support lives there', () => {
    const shipped = reachable(ENTRIES);
    const unshipped = filesUnder('electron')
      .filter((f) => !isTest(f) && !shipped.has(f))
      .map((f) => relative(repo, join(repo, f)));
    expect(unshipped).toEqual([]);
  });

  it('finds a file under electron/ that only tests import (the check can fail)', () => {
    // test/support/harness.ts is reached from no entry point: were it under electron/, the check above would name it.
    expect(reachable(ENTRIES).has('test/support/harness.ts')).toBe(false);
    expect(reachable(['test/support/harness.ts']).has('electron/core/orchestrator.ts')).toBe(true);
  });
});
