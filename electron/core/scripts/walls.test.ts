// Both walls agree on every corpus file: the scanner refuses a script exactly when the sandbox
// refuses to run it. Benign scripts run to completion over a small scene; exhaustion scripts, which
// are valid scripts, are each stopped by one of the sandbox's limits; inert ones change nothing.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Material, SceneObject } from '../../../shared/protocol/index.js';
import { loadCorpus, type CorpusKind } from '../../../test/support/scanner-corpus.js';
import { soup } from '../../../test/support/token-soup.js';
import { scanPython } from '../security/scanner.js';
import { ScriptSandbox } from './sandbox.js';

const obj = (id: string, name: string, type: SceneObject['type'] = 'mesh', parent: string | null = null): SceneObject => ({
  id,
  name,
  type,
  parent,
  transform: { position: [1, 2, 3], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
  mesh:
    type === 'mesh' ? { vertexCount: 8, faceCount: 6, geometryHash: 'a'.repeat(64), bounds: { min: [-1, -1, -1], max: [1, 1, 1] } } : null,
  materials: [],
});
const mat = (id: string, name: string): Material => ({ id, name, baseColor: [1, 1, 1, 1], metallic: 0, roughness: 0.5, textures: [] });
const scene = {
  objects: [
    obj('cube', 'Cube'),
    obj('sign', 'Sign'),
    obj('table', 'Table'),
    obj('cup', 'Cup', 'mesh', 'table'),
    obj('chair-1', 'Chair 1'),
    obj('chair-2', 'Chair 2'),
    obj('lamp-1', 'Lamp', 'light'),
    obj('left-wing', 'Left wing'),
    obj('marker-old', 'Marker old', 'empty'),
  ],
  materials: [mat('m1', 'Wood'), mat('m2', 'Steel')],
};
const sandbox = new ScriptSandbox({ memoryMb: 128, timeMs: 2_000 });
afterAll(() => sandbox.close());

const files = (kind: CorpusKind) => loadCorpus(kind).map((s) => [s.name, s.code] as const);

describe('scanner and sandbox agree on every corpus file', () => {
  it.each(files('benign'))('benign %s: passes the scanner and runs', async (_n, code) => {
    expect(scanPython(code).blocked).toBe(false);
    const r = await sandbox.run(code, scene);
    expect(r.ok ? 'ok' : `${r.code}: ${r.message}`).toBe('ok');
  });

  it.each([...files('evasion'), ...files('bpy')])('refused %s: the scanner blocks it, the sandbox refuses to run it', async (_n, code) => {
    expect(scanPython(code).blocked).toBe(true);
    const r = await sandbox.run(code, scene);
    expect(r.ok ? 'ran' : r.code).toBe('POLICY_REFUSED');
  });

  it.each(files('inert'))('inert %s: runs and changes nothing', async (_n, code) => {
    const r = await sandbox.run(code, scene);
    expect(r.ok && { objects: r.objects, materials: r.materials }).toEqual({ objects: {}, materials: {} });
  });

  it.each(files('exhaustion'))(
    'exhaustion %s: passes the scanner, stopped by a limit',
    async (_n, code) => {
      expect(scanPython(code).blocked).toBe(false);
      const r = await sandbox.run(code, scene);
      expect(r.ok ? 'ran' : r.code).toMatch(/^(TIME|MEMORY|STEP|OUTPUT|CHANGE)_LIMIT$|^SCRIPT_ERROR$/);
      if (!r.ok && r.code === 'SCRIPT_ERROR') expect(r.message).toMatch(/RecursionError/);
    },
    120_000,
  ); // a killed or exhausted interpreter is replaced: a cold start on a loaded box
});

describe('random token soup never crashes either wall', () => {
  it('the sandbox answers every soup with a verdict, a result or a limit, never a failure of its own', async () => {
    await fc.assert(
      fc.asyncProperty(soup, async (code) => {
        const verdict = scanPython(code);
        const r = await sandbox.run(code, scene);
        expect(r.ok ? 'ok' : r.code).not.toBe('SANDBOX_FAILED');
        expect(!r.ok && r.code === 'POLICY_REFUSED').toBe(verdict.blocked);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
