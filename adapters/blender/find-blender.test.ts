// Finding Blender for the tests: $VIBESYNC_BLENDER, then PATH; a missing Blender is a loud skip
// locally and a failure under CI=true (CI installs it via scripts/setup.sh).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBlender } from './testing/find-blender.js';
import { run } from './testing/python.js';

describe('finding Blender', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-find-blender-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'blender'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(bin, 'blender'), 0o755);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('searches PATH, and names what is missing when it finds nothing', () => {
    expect(findBlender({ PATH: `/nonexistent:${bin}` }, [])).toEqual({ path: join(bin, 'blender'), reason: null });
    const none = findBlender({ PATH: '/nonexistent' }, ['/nonexistent/blender']);
    expect(none.path).toBeNull();
    expect(none.reason).toContain('no `blender` on PATH');
    expect(none.reason).toContain('/nonexistent/blender');
  });

  it('VIBESYNC_BLENDER wins over PATH, and a wrong one is reported as such (not as "no Blender at /usr/bin/blender")', () => {
    expect(findBlender({ PATH: '/usr/bin', VIBESYNC_BLENDER: join(bin, 'blender') }).path).toBe(join(bin, 'blender'));
    const wrong = findBlender({ PATH: bin, VIBESYNC_BLENDER: '/opt/blender-4.2/blender' });
    expect(wrong).toEqual({ path: null, reason: 'VIBESYNC_BLENDER=/opt/blender-4.2/blender is not an executable file' });
  });

  it('under CI=true a missing Blender fails the run with the reason and the apt command, instead of skipping', async () => {
    const r = await run('node', ['node_modules/vitest/vitest.mjs', 'run', 'adapters/blender/python.test.ts', '-t', 'Blender is required'], {
      env: { CI: 'true', VIBESYNC_BLENDER: '/opt/no-such-blender', NO_COLOR: '1' },
    });
    const out = r.stdout + r.stderr;
    expect(r.code).not.toBe(0);
    expect(out).toContain('SKIPPING the in-Blender Python suite');
    expect(out).toContain('VIBESYNC_BLENDER=/opt/no-such-blender is not an executable file');
    expect(out).toContain('apt-get install -y blender');
    expect(out).toMatch(/Blender is required when CI=true/);
    expect(out).toMatch(/1 failed/);
  }, 60_000);
});
