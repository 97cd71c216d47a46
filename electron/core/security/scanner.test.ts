// What the proposal-time wall says about a script: the allow-list policy, rule by rule, with the
// line and column a reviewer sees. Every finding blocks; benign scene code has none.
import { describe, expect, it } from 'vitest';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import { scanPython } from './scanner.js';

const rules = (code: string) => scanPython(code).findings.map((f) => `${f.rule}@${f.line}:${f.column}`);
const passes = (code: string) => expect(scanPython(code)).toEqual({ blocked: false, findings: [] });

describe('scanPython: the script language passes', () => {
  it('lets a scene edit over the data API through with no findings', () => {
    passes(
      [
        'import math',
        'from random import uniform as u',
        'for i, obj in enumerate(scene.objects):',
        '    x, y = divmod(i, 4)',
        '    obj.position = (x * 2.0, 0.0, y * 2.0)',
        '    obj.rotation = (0, math.sin(u(0, 1) / 2), 0, math.cos(0.5))',
        'mat = scene.create_material("red", name="Red", base_color=(1, 0, 0, 1))',
        'scene.objects["cube"].materials = [mat.id]',
      ].join('\n'),
    );
  });

  it('passes the false positives the escape study listed (issue 16)', () => {
    passes('q, r = divmod(10, 3)\n');
    passes('note = "open the door, then open the window"\nscene.objects["sign"].name = note\n');
    passes(
      'class V:\n    def __init__(self, x):\n        self.x = x\n    def __rmul__(self, k):\n        return V(self.x * k)\nv = 2 * V(3)\n',
    );
    // A script's own attribute called `system` is its own; units are not script data (docs/scripts.md).
    passes('class Units:\n    def __init__(self):\n        self.system = "METRIC"\nprint(Units().system)\n');
  });

  it('treats keyword-argument names as names, not references', () => {
    passes('scene.create_object("lamp", name="Lamp", type="light", position=(0, 3, 0))\n');
  });

  it('accepts floats written with a trailing dot', () => {
    passes('v = (0., 1., 2.5)\nscene.objects["a"].scale = (2., 2., 2.)\n');
  });
});

describe('scanPython: everything else is refused by default', () => {
  it('refuses a script that does not parse', () => {
    const r = scanPython('x = (1,\ndef f(:\n');
    expect(r.blocked).toBe(true);
    expect(r.findings[0]).toMatchObject({ rule: 'syntax', severity: 'block' });
  });

  it('refuses every import outside math, random and colorsys, and names outside their lists', () => {
    expect(rules('import bpy, os\n')).toEqual(['import@1:8', 'import@1:13']);
    expect(rules('from math import pi, _log\n')).toEqual(['import@1:22']);
    expect(rules('import math.x\n')).toEqual(['import@1:12']);
    expect(rules('from . import helpers\n')).toEqual(['import@1:1']);
    expect(rules('from math import *\n')).toEqual(['import@1:18']);
  });

  it('refuses builtins that are not listed, by any spelling', () => {
    expect(rules('eval("1")\n')).toEqual(['unknown-name@1:1']);
    expect(rules('f = [exec, getattr, vars, type]\n')).toEqual([
      'unknown-name@1:6',
      'unknown-name@1:12',
      'unknown-name@1:21',
      'unknown-name@1:27',
    ]);
    expect(rules('__builtins__["open"]\n')).toEqual(['dunder-name@1:1']);
  });

  it('refuses private, dunder and reflective attributes, and ones outside the language', () => {
    expect(rules('x = scene._store\n')).toEqual(['private-attribute@1:11']);
    expect(rules('x = ().__class__\n')).toEqual(['private-attribute@1:8']);
    expect(rules('g = (i for i in [1])\nf = g.gi_frame.f_back\n')).toEqual(['reserved-attribute@2:7', 'reserved-attribute@2:16']);
    expect(rules('x = "{0.real}".format(1)\n')).toEqual(['reserved-attribute@1:16']);
    expect(rules('scene.unit_settings.system = "METRIC"\n')).toEqual(['unknown-attribute@1:7']);
  });

  it('refuses class patterns, bare except, async and reflective names in a class', () => {
    expect(rules('match 1:\n    case int(real=r):\n        pass\n')).toEqual(['class-pattern@2:10', 'unknown-name@2:14']);
    expect(rules('try:\n    pass\nexcept:\n    pass\n')).toEqual(['bare-except@3:1']);
    expect(rules('class A:\n    def gi_frame(self):\n        pass\n')).toEqual(['reserved-attribute@2:9']);
    expect(rules('class A:\n    def __getattr__(self, n):\n        pass\n')).toEqual(['reserved-attribute@2:9']);
    expect(scanPython('async def f():\n    pass\n').blocked).toBe(true);
  });

  it('refuses f-string text that Python reads as a replacement field (`\\{` is no escape there)', () => {
    expect(rules('x = 1\nprint(f"\\{x.__class__}")\n')).toEqual(['format-string@2:10']);
    expect(rules('x = 1\nprint(rf"\\{x}")\n')).toEqual(['format-string@2:11']);
    expect(rules('x = 1\nprint(F"""{x}\\{x}""")\n')).toEqual(['format-string@2:15']);
    expect(rules('print(f"a}b")\n')).toEqual(['format-string@1:10']);
    // literal braces, escaped backslashes and named characters are text for Python too
    passes('x = 1\nprint(f"\\N{BULLET} {x} {{x}} \\\\{x} \\t", rf"\\d{x}\\N{x}")\n');
  });

  it('refuses, and does not throw on, a script whose recovered syntax tree lezer cannot iterate', () => {
    const r = scanPython('(]{)'.repeat(4_000));
    expect(r.blocked).toBe(true);
    expect(r.findings[0]).toMatchObject({ rule: 'syntax', line: 1, column: 1 });
  });

  it('checks a wide statement in linear time (it runs on the host main thread)', () => {
    // 20,000 arguments in one call: each name's place among its siblings used to be found by
    // rescanning the parent, which kept the orchestrator busy for over ten minutes on 40 KB.
    const started = performance.now();
    expect(scanPython(`x = 1\nprint(${'x, '.repeat(20_000)})\n`).blocked).toBe(false);
    expect(scanPython(`for ${Array(8_000).fill('a').join(', ')} in []:\n    pass\n`).blocked).toBe(false);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('refuses a script larger than the protocol admits, and a non-string with a typed error', () => {
    expect(rules('#'.repeat(64 * 1024 + 1))).toEqual(['too-large@1:1']);
    expect(() => scanPython(42 as unknown as string)).toThrow(VibeSyncError);
  });
});
