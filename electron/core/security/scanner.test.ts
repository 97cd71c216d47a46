// Per-rule behaviour of scanPython: what a reviewer sees (rule, line, column, severity) for each trick.
import { describe, expect, it } from 'vitest';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import { scanPython } from './scanner.js';

const at = (code: string, rule: string) =>
  scanPython(code)
    .findings.filter((f) => f.rule === rule)
    .map((f) => [f.line, f.column, f.severity]);

describe('scanPython: allow-list', () => {
  it('lets a transform / material / mathutils scene edit through with no findings', () => {
    const code = [
      'import bpy, math',
      'from mathutils import Vector, Euler',
      'obj = bpy.data.objects["Cube"]',
      'obj.location = Vector((1.0, 2.0, 0.5))',
      'obj.rotation_euler = Euler((0.0, 0.0, math.radians(30)))',
      'mat = bpy.data.materials.new(name=f"Mat_{obj.name}")',
      'obj.active_material = mat',
    ].join('\n');
    expect(scanPython(code)).toEqual({ blocked: false, findings: [] });
  });

  it('treats a local variable named like a module or builtin as the variable', () => {
    const code = 'for socket in node.inputs:\n    input = socket\n    print(socket.name, input.name)\n';
    expect(scanPython(code)).toEqual({ blocked: false, findings: [] });
  });

  it('does not read keyword-argument names as references', () => {
    expect(scanPython('bpy.data.curves.new(name="L", type="FONT")\nmod(open=True)\n').blocked).toBe(false);
  });
});

describe('scanPython: parse-error policy', () => {
  it('accepts floats written with a trailing dot, as Blender scripts often do', () => {
    expect(scanPython('v = (0., 1., 2.5)\nobj.scale = (2., 2., 2.)\nx = 1.e3 + 3.j.imag\n')).toEqual({ blocked: false, findings: [] });
  });

  it('blocks a script that does not parse, at the first error', () => {
    const r = scanPython('import bpy\nx = (1,\ndef f(:\n');
    expect(r.blocked).toBe(true);
    expect(r.findings[0]).toMatchObject({ rule: 'syntax', line: 3, severity: 'block' });
  });
});

describe('scanPython: imports', () => {
  it('blocks a blocked module wherever it sits in the import list', () => {
    expect(at('import bpy, os\n', 'import-blocked')).toEqual([[1, 13, 'block']]);
    expect(at('from subprocess import run as r\n', 'import-blocked')).toEqual([[1, 6, 'block']]);
    expect(at('x = 1\nimport os.path\n', 'import-blocked')).toEqual([[2, 8, 'block']]);
  });

  it('blocks modules that are not on the scene-script allow-list', () => {
    expect(at('import json\n', 'import-not-allowed')).toEqual([[1, 8, 'block']]);
    expect(at('from . import helpers\n', 'import-not-allowed')).toEqual([[1, 1, 'block']]);
  });

  it('blocks bpy submodules that load files or outlive the transaction', () => {
    expect(at('from bpy.app import handlers\n', 'bpy-blocked')[0]).toEqual([1, 6, 'block']);
    expect(at('import bpy.utils\n', 'bpy-blocked')[0]).toEqual([1, 8, 'block']);
    expect(scanPython('from bpy.app import *\n').blocked).toBe(true);
    expect(scanPython('from mathutils import Matrix\nimport bmesh\n').blocked).toBe(false);
  });
});

describe('scanPython: builtins, dunders, modules, attributes', () => {
  it('blocks calls to and references of dangerous builtins', () => {
    expect(at('x = 1\ny = eval("x")\n', 'builtin-blocked')).toEqual([[2, 5, 'block']]);
    expect(at('f = [exec, compile]\n', 'builtin-blocked')).toEqual([
      [1, 6, 'block'],
      [1, 12, 'block'],
    ]);
    expect(scanPython('data = open("/etc/passwd").read()\n').findings[0]).toMatchObject({
      rule: 'builtin-blocked',
      line: 1,
      column: 8,
      message: "call to blocked builtin 'open()'",
    });
  });

  it('blocks input() when it is the builtin, not a local', () => {
    expect(at('name = input("?")\n', 'builtin-blocked')).toEqual([[1, 8, 'block']]);
  });

  it('blocks interpreter internals as names, attributes and strings', () => {
    expect(at('x = ().__class__.__bases__\n', 'dunder')).toEqual([
      [1, 8, 'block'],
      [1, 18, 'block'],
    ]);
    expect(at('__builtins__\n', 'dunder')).toEqual([[1, 1, 'block']]);
    expect(at('d = {"__globals__": 1}\n', 'dunder-string')).toEqual([[1, 6, 'block']]);
    expect(at('class A:\n    def __del__(self): pass\n', 'dunder')).toEqual([[2, 9, 'block']]);
  });

  it('allows harmless dunders', () => {
    expect(scanPython('class A:\n    def __init__(self):\n        super().__init__()\nif __name__ == "__main__":\n    A()\n').blocked).toBe(
      false,
    );
  });

  it('blocks references to blocked modules that the script did not bind itself', () => {
    expect(at('sys.exit(1)\n', 'module-reference')).toEqual([[1, 1, 'block']]);
    expect(at('import socket\nsocket.socket()\n', 'module-reference')).toEqual([
      [2, 1, 'block'],
      [2, 8, 'block'],
    ]);
  });

  it("blocks modules reached through another module's attributes, public or private", () => {
    expect(at('import typing\ntyping.sys.modules\n', 'module-reference')).toEqual([[2, 8, 'block']]);
    expect(at('import random\nrandom._inst.seed(1)\n', 'private-attribute')).toEqual([[2, 8, 'block']]);
    expect(at('import bpy\nbpy.path._os.getcwd()\n', 'module-reference')).toEqual([[2, 10, 'block']]);
    expect(scanPython('class A:\n    def f(self):\n        return self._cache\nvert.select = True\n').blocked).toBe(false);
  });

  it('blocks attributes that run programs or walk frames', () => {
    expect(at('x.system("id")\n', 'attribute-blocked')).toEqual([[1, 3, 'block']]);
    expect(at('g = f.gi_frame.f_back\n', 'attribute-blocked')).toEqual([
      [1, 7, 'block'],
      [1, 16, 'block'],
    ]);
  });

  it('blocks three-argument type() but not type(x)', () => {
    expect(at('T = type("T", (), {})\n', 'type-builder')).toEqual([[1, 5, 'block']]);
    expect(scanPython('if type(v) is float:\n    v = 1.0\n').blocked).toBe(false);
  });
});

describe('scanPython: bpy paths', () => {
  it('blocks bpy.ops.wm and friends, resolved through aliases', () => {
    expect(at('import bpy\nbpy.ops.wm.open_mainfile(filepath="x")\n', 'bpy-blocked')[0]).toEqual([2, 9, 'block']);
    expect(at('import bpy\nw = bpy.ops\nw.wm.quit_blender()\n', 'bpy-blocked')).toEqual([[3, 3, 'block']]);
    expect(at('import bpy as b\nb.app.handlers.frame_change_pre.clear()\n', 'bpy-blocked')[0]).toEqual([2, 7, 'block']);
    expect(at('bpy.utils.register_class(Op)\n', 'bpy-blocked')[0]).toEqual([1, 5, 'block']);
  });

  it('judges decorator names as paths and attributes', () => {
    expect(at('import bpy\n@bpy.app.handlers.persistent\ndef f(scene): pass\n', 'bpy-blocked')).toEqual([[2, 10, 'block']]);
    expect(at('@helpers.system\ndef f(): pass\n', 'attribute-blocked')).toEqual([[1, 10, 'block']]);
    expect(scanPython('@property\ndef f(self): pass\n').blocked).toBe(false);
  });

  it('allows bpy.utils.units and flags unknown operator categories for review without blocking', () => {
    expect(scanPython('bpy.utils.units.to_string("METRIC", "LENGTH", 1.0)\n').blocked).toBe(false);
    const r = scanPython('bpy.ops.screen.frame_jump(end=False)\n');
    expect(r.blocked).toBe(false);
    expect(at('bpy.ops.screen.frame_jump(end=False)\n', 'bpy-ops-unreviewed')).toEqual([[1, 9, 'warn']]);
  });

  it('warns when a script points Blender at a file path', () => {
    expect(at('img.filepath = "//tex.png"\n', 'file-path')).toEqual([[1, 5, 'warn']]);
    expect(at('bpy.ops.object.something(filepath="//x")\n', 'file-path')).toEqual([[1, 26, 'warn']]);
  });

  it('blocks file paths outside the project folder or unknown until run time', () => {
    expect(at('img.filepath_raw = "/home/a/.bashrc"\n', 'file-path')).toEqual([[1, 5, 'block']]);
    expect(at('img.filepath = "//../../etc/x"\n', 'file-path')).toEqual([[1, 5, 'block']]);
    expect(at('img.filepath = obj.name\n', 'file-path')).toEqual([[1, 5, 'block']]);
    expect(at('bpy.ops.object.bake(filepath="/tmp/x.png")\n', 'file-path')).toEqual([[1, 21, 'block']]);
  });

  it('shows literal driver expressions for review and blocks ones built at run time', () => {
    expect(at('fc.driver.expression = "sin(frame / 10)"\n', 'driver-expression')).toEqual([[1, 11, 'warn']]);
    expect(at('fc.driver.expression = obj["note"]\n', 'driver-expression')).toEqual([[1, 11, 'block']]);
  });

  it('blocks RNA-path and window-manager routes to the same places', () => {
    expect(at('p = bpy.context.path_resolve("preferences")\n', 'attribute-blocked')).toEqual([[1, 17, 'block']]);
    expect(at('wm = bpy.data.window_managers[0]\n', 'bpy-blocked')).toEqual([[1, 15, 'block']]);
    expect(at('for c in cols:\n    c.load("/x")\n', 'attribute-blocked')).toEqual([[2, 7, 'block']]);
  });

  it('blocks changes to bpy.types and property registration, which outlive the transaction', () => {
    expect(at('bpy.types.Scene.watch = 1\n', 'bpy-blocked')).toEqual([[1, 1, 'block']]);
    expect(at('p = bpy.props.FloatProperty()\n', 'bpy-blocked')).toEqual([[1, 9, 'block']]);
  });

  it('blocks typing helpers that evaluate strings', () => {
    expect(at('import typing\ntyping.get_type_hints(f)\n', 'attribute-blocked')).toEqual([[2, 8, 'block']]);
    expect(at('f.__annotations__ = {}\n', 'dunder')).toEqual([[1, 3, 'block']]);
  });

  it('blocks loading data blocks from files', () => {
    expect(at('img = bpy.data.images.load("/etc/hosts")\n', 'bpy-blocked')).toEqual([[1, 23, 'block']]);
  });
});

describe('scanPython: strings built to evade', () => {
  const evasions: [string, string][] = [
    ['concatenation', "m = 'o' + 's'\n"],
    ['join', "m = ''.join(['o', 's'])\n"],
    ['chr', 'm = chr(111) + chr(115)\n'],
    ['map chr', "m = ''.join(map(chr, [111, 115]))\n"],
    ['generator chr', "m = ''.join(chr(c) for c in (111, 115))\n"],
    ['reversal', "m = 'so'[::-1]\n"],
    ['percent', "m = '%s%s' % ('o', 's')\n"],
    ['format', "m = '{}{}'.format('o', 's')\n"],
    ['f-string', 'm = f"{\'o\'}s"\n'],
    ['hex escapes', "m = '\\x6f\\x73'\n"],
    ['octal escapes', "m = '\\157\\163'\n"],
    ['replace', "m = 'oXs'.replace('X', '')\n"],
    ['upper/lower', "m = 'OS'.lower()\n"],
    ['base64', "m = b64decode('b3M=')\n"],
    ['rot13', "m = codecs.decode('bf', 'rot13')\n"],
    ['fromhex', "m = bytes.fromhex('6f73').decode()\n"],
    ['bytes list', 'm = bytes([111, 115]).decode()\n'],
    ['implicit concatenation', "m = 'o' 's'\n"],
    ['f-string conversion and spec', "m = f\"{'o'!s}{'s':s}\"\n"],
    ['str.join through the type', "m = str.join('', ['o', 's'])\n"],
    ['__add__', "m = 'o'.__add__('s')\n"],
  ];
  it.each(evasions)('folds %s and reports the name it spells', (_trick, code) => {
    const hit = scanPython(code).findings.find((f) => f.rule === 'string-evasion');
    expect(hit).toMatchObject({ line: 1, column: 5, severity: 'block', message: "string built at run time spells 'os'" });
  });

  it('follows names bound to constants', () => {
    expect(at("a = 'sub'\nb = 'process'\nc = a + b\n", 'string-evasion')).toEqual([[3, 5, 'block']]);
    expect(at("a = 'o'\na += 's'\nprint(a[0:2])\n", 'string-evasion')).toEqual([[3, 7, 'block']]);
  });

  it('leaves ordinary built strings alone', () => {
    const code = "name = 'Cube' + '_' + str(3)\nlabel = f'{name}_{i:03d}'\nparts = '/'.join(['a', 'b'])\nx = 'Open' + ' Door'\n";
    expect(scanPython(code)).toEqual({ blocked: false, findings: [] });
  });

  it('reports decoders even when the payload cannot be folded', () => {
    expect(at('exec_me = b64decode(payload)\n', 'decoder')).toEqual([[1, 11, 'block']]);
    expect(at("s = blob.decode('rot_13')\n", 'decoder')).toEqual([[1, 17, 'block']]);
  });
});

describe('scanPython: unicode', () => {
  it('blocks identifiers that NFKC turns into something else', () => {
    const r = scanPython('ｅｖａｌ("1")\n');
    expect(r.blocked).toBe(true);
    expect(r.findings.map((f) => [f.rule, f.line, f.column])).toEqual([
      ['builtin-blocked', 1, 1],
      ['unicode-identifier', 1, 1],
    ]);
  });

  it('blocks look-alike letters imitating a blocked name, only warns on other non-ASCII names', () => {
    expect(at('еxес = print\n', 'homoglyph')).toEqual([[1, 1, 'block']]);
    const r = scanPython('größe = 2.0\n');
    expect(r.blocked).toBe(false);
    expect(r.findings.map((f) => [f.rule, f.severity])).toEqual([['non-ascii-identifier', 'warn']]);
  });

  it('blocks invisible and direction-override characters', () => {
    expect(at('x = "a\u202Eb"\n', 'invisible-char')).toEqual([[1, 7, 'block']]);
  });
});

describe('scanPython: the text net', () => {
  it('catches code hidden in a string payload the tree sees only as data', () => {
    expect(at('payload = "import subprocess"\n', 'text:import')).toEqual([[1, 12, 'block']]);
  });

  it('stays quiet on a line the tree walk already blocked', () => {
    expect(at('eval("1")\n', 'text:call')).toEqual([]);
  });

  it('ignores comments and maps positions back across normalised text', () => {
    expect(scanPython('# import os and eval(x) in a comment\nx = 1\n').findings).toEqual([]);
    expect(at('s = "ｅｖａｌ (1)"\n', 'text:call')).toEqual([[1, 6, 'block']]);
  });
});

describe('scanPython: positions', () => {
  it('counts lines as Python does, with \\r\\n and lone \\r endings', () => {
    expect(at('x = 1\r\nimport os\r\n', 'import-blocked')).toEqual([[2, 8, 'block']]);
    expect(at('x = 1\rimport os\r', 'import-blocked')).toEqual([[2, 8, 'block']]);
  });
});

describe('scanPython: bad input', () => {
  it('blocks a script over the protocol size limit without parsing it', () => {
    const r = scanPython(`x = 1\n${'#'.repeat(70_000)}\n`);
    expect(r).toEqual({ blocked: true, findings: [expect.objectContaining({ rule: 'too-large', line: 1, column: 1 })] });
  });

  it('rejects a non-string with a typed error', () => {
    expect(() => scanPython(42 as unknown as string)).toThrow(VibeSyncError);
  });
});
