// The Python lint of `npm run lint` (scripts/ruff.mjs: ruff as wasm, with the checked-in ruff.toml),
// proven on probe files as a user runs it: each rule refuses its probe with ruff's line and exit
// code 1, a noqa that says why is accepted, and the repo's own Python passes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'vibesync-ruff-'));
// one run compiles ruff's 10 MB of wasm and warms it up: seconds, and more on a loaded machine
const SLOW = 90_000;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run lint`'s Python step on these paths (none: the whole repo): exit code and output. */
function ruff(...paths: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['scripts/ruff.mjs', ...paths], { cwd: repo, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return { status: r.status, stdout: r.stdout };
}

describe('Python lint (ruff)', () => {
  it(
    'refuses an unused import, where ruff would, and fails the run',
    () => {
      const probe = join(dir, 'unused.py');
      writeFileSync(probe, 'import os\nimport sys\n\nprint(sys.argv)\n');
      const r = ruff(probe);
      expect(r.stdout).toBe(`${probe}:1:8: F401 \`os\` imported but unused\nFound 1 error.\n`);
      expect(r.status).toBe(1);
    },
    SLOW,
  );

  describe('each rule of ruff.toml', () => {
    const probes: Record<string, [code: string, line: RegExp | null]> = {
      long_line: [`x = "${'a'.repeat(140)}"\n`, /:1:141: E501 Line too long \(146 > 140\)$/],
      undefined_name: ['print(undefined_name)\n', /:1:7: F821 Undefined name `undefined_name`$/],
      catch_all: ['try:\n    pass\nexcept Exception:\n    pass\n', /:3:8: BLE001 Do not catch blind exception: `Exception`$/],
      exec_call: ['exec("x = 1")\n', /:1:1: S102 Use of `exec` detected$/],
      stale_noqa: ['x = 1  # noqa: E402\n', /:1:8: RUF100 Unused `noqa` directive \(unused: `E402`\)$/],
      syntax_error: ['x = = 1\n', /:1:5: invalid-syntax Expected an expression$/],
      // the same catch-all passes once its noqa names the rule and says why
      catch_all_with_reason: ['try:\n    pass\nexcept Exception:  # noqa: BLE001 - a bug must not stop the timer\n    pass\n', null],
    };
    const folder = join(dir, 'rules');
    mkdirSync(folder);
    for (const [name, [code]] of Object.entries(probes)) writeFileSync(join(folder, `${name}.py`), code);
    let run: { status: number | null; stdout: string };
    const lines = (name: string) => (run ??= ruff(folder)).stdout.split('\n').filter((l) => l.startsWith(join(folder, `${name}.py:`)));

    it.each(Object.entries(probes))(
      '%s',
      (name, [, line]) => {
        if (line === null) expect(lines(name)).toEqual([]);
        else expect(lines(name)).toEqual([expect.stringMatching(line)]);
        expect(run.status).toBe(1);
      },
      SLOW,
    );
  });

  it(
    "passes on the repo's own Python (the add-on, its tests, build_zip.py)",
    () => {
      const r = ruff();
      expect(r.stdout).toBe('All checks passed!\n');
      expect(r.status).toBe(0);
    },
    SLOW,
  );
});
