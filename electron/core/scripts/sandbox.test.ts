// The sandbox with a real Pyodide: what a script may do (edit the scene through the data API) and
// every way out the escape study found, which must fail — refused by the policy, or stopped by a limit.
import { afterAll, describe, expect, it } from 'vitest';
import type { SceneObject } from '../../../shared/protocol/index.js';
import { resultMutations } from './mutations.js';
import { ALLOWED_ATTRIBUTES, BUILTINS, DUNDER_METHODS, MODULES, RESERVED_ATTRIBUTE } from './language.js';
import { forkHost, ScriptSandbox, type SandboxResult } from './sandbox.js';

const cube: SceneObject = {
  id: 'cube',
  name: 'Cube',
  type: 'mesh',
  parent: null,
  transform: { position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
  mesh: null,
  materials: [],
};
const scene = { objects: [cube], materials: [] };
const sandbox = new ScriptSandbox({ timeMs: 5_000 });
afterAll(() => sandbox.close());

const run = (code: string) => sandbox.run(code, scene);
const failure = (r: SandboxResult) => (r.ok ? 'ran' : r.code);

/** Posts each code in turn straight to a sandbox process forked as sandbox.ts forks it, skipping the policy check. */
async function straight(codes: string[], config: object): Promise<SandboxResult[]> {
  const child = forkHost(256 * 1024 * 1024);
  try {
    return await new Promise<SandboxResult[]>((resolve, reject) => {
      const out: SandboxResult[] = [];
      child.on('exit', (code, signal) => reject(new Error(`the sandbox process exited (${signal ?? code}): ${child.stderrTail()}`)));
      child.on('message', (m: { type: string; reply: SandboxResult }) => {
        if (m.type === 'result') out.push(m.reply);
        if (out.length === codes.length) resolve(out);
        else child.send({ id: out.length, code: codes[out.length], scene, config });
      });
    });
  } finally {
    child.kill('SIGKILL');
  }
}

describe('script sandbox (Pyodide in a child process)', () => {
  it('runs a script over the data API and reports the changes as protocol mutations', async () => {
    const r = await run(
      [
        'import math',
        'from colorsys import hsv_to_rgb',
        'cube = scene.objects["cube"]',
        'cube.position = (1, 2, round(math.pi, 2))',
        'cube.name = "Crate"',
        'r, g, b = hsv_to_rgb(0.0, 1.0, 1.0)',
        'scene.create_material("red", name="Red", base_color=(r, g, b, 1))',
        'cube.materials = ["red"]',
        'scene.create_object("pivot", name="Pivot")',
        'cube.parent = "pivot"',
        'q, rest = divmod(7, 2)',
        'print("moved", cube.name, q, rest)',
      ].join('\n'),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.output).toBe('moved Crate 3 1\n');
    const lookup = { objects: new Map([['cube', cube]]), materials: new Map() };
    const muts = resultMutations(lookup, r, 'p1', ['blender', 'unity'], ['cube', 'red', 'pivot']);
    expect(muts.map((m) => m.op)).toEqual(['upsert_material', 'create', 'set_transform', 'set_props']);
    expect(muts[2]).toMatchObject({ mid: 'p1.3', targets: ['blender', 'unity'], objectId: 'cube', transform: { position: [1, 2, 3.14] } });
    expect(muts[3]).toMatchObject({ props: { name: 'Crate', parent: 'pivot', materials: ['red'] } });
    expect(() => resultMutations(lookup, r, 'p1', ['blender'], ['cube'])).toThrow(/FORBIDDEN_PATH.*(red|pivot)/);
    // an object reported under another id's key is refused, whatever touches says
    const swapped = { ...r, objects: { ...r.objects, pivot: { ...r.objects.cube!, id: 'cube' } } };
    expect(() => resultMutations(lookup, swapped, 'p1', ['blender'], ['cube', 'red', 'pivot'])).toThrow(/came back as cube/);
  });

  it('gives the same result on a second run (random is seeded from the script)', async () => {
    const code = 'import random\nscene.objects["cube"].position = (random.random(), random.uniform(0, 5), 0)';
    const a = await run(code);
    const b = await run(code);
    expect(a.ok && b.ok && a.objects).toEqual(b.ok && b.objects);
  });

  it('says which line failed when a script raises', async () => {
    const r = await run('x = 1\nscene.objects["nope"].name = "x"');
    expect(r).toMatchObject({ ok: false, code: 'SCRIPT_ERROR' });
    expect(!r.ok && r.message).toMatch(/KeyError.*nope.*line 2/);
  });

  // The hole classes of the escape study (issue 16), each written as the study wrote it.
  const escapes: Array<[string, string]> = [
    ['match class pattern', 'import math\nmatch math:\n    case object(utils=object(_os=object(system=sh))):\n        sh("id")'],
    ['match class pattern on str', 'match "":\n    case str(format=f):\n        scene.objects["cube"].name = f("{0}", 1)'],
    ['string.Formatter().get_field', 'import string, random\nstring.Formatter().get_field("0._os.system", [random], {})'],
    ['str.format field access', 'scene.objects["cube"].name = "{0.__class__.__mro__}".format(1)'],
    ['module-to-module reach', 'import enum\nenum.bltns.open("/etc/passwd")'],
    ['dataclasses.inspect', 'import dataclasses\ndataclasses.inspect.stack()'],
    ['typing.operator.attrgetter', 'import typing\ntyping.operator.attrgetter("_os")(typing)'],
    ['reach through an allowed module', 'import random\nrandom._os.system("id")'],
    ['walrus alias', '(s := scene).objects\n(app := print).__self__.open("x")'],
    ['dunder reflection', '().__class__.__base__.__subclasses__()'],
    ['generator frame', 'g = (x for x in [1])\ng.gi_frame.f_back.f_globals'],
    ['builtins by name', '__builtins__["open"]("/etc/passwd")'],
    ['import of the JS bridge', 'import js\njs.process.exit(1)'],
    ['import via __import__', '__import__("os").system("id")'],
    ['open', 'open("/etc/passwd").read()'],
    ['eval / exec', 'eval("1")\nexec("import os")'],
    ['getattr', 'getattr(scene, "_x")'],
    ['bpy', 'import bpy\nbpy.ops.wm.quit_blender()'],
    ['class defining a reflective name', 'class A:\n    def format(self):\n        return 1\n"{0._os}".format(A())'],
    ['__del__ finaliser', 'class A:\n    def __del__(self):\n        pass'],
    ['async', 'async def f():\n    await f()'],
    ['bare except swallowing the limits', 'while True:\n    try:\n        while True:\n            pass\n    except:\n        pass'],
  ];
  it.each(escapes)('refuses %s before it runs', async (_name, code) => {
    const r = await run(code);
    expect(failure(r)).toBe('POLICY_REFUSED');
    expect(!r.ok && r.findings?.every((f) => f.severity === 'block')).toBe(true);
  });

  it('stops an endless loop by its step limit', async () => {
    expect(failure(await run('while True:\n    pass'))).toBe('STEP_LIMIT');
  });

  it('stops an endless loop that swallows what it can catch', async () => {
    expect(failure(await run('while True:\n    try:\n        while True:\n            pass\n    except Exception:\n        pass'))).toBe(
      'STEP_LIMIT',
    );
  });

  it('stops a flood of output', async () => {
    const r = await run('while True:\n    print("x" * 1000)');
    expect(failure(r)).toBe('OUTPUT_LIMIT');
  });

  it('stops runaway recursion with a clear error', async () => {
    const r = await run('def f():\n    return f()\nf()');
    expect(!r.ok && r.message).toMatch(/RecursionError/);
  });

  it('stops a script that asks for more memory than its limit, then runs the next one in a fresh interpreter', async () => {
    expect(failure(await run('x = "a" * (10 ** 9)'))).toBe('MEMORY_LIMIT');
    expect(failure(await run('x = [0] * (10 ** 9)'))).toBe('MEMORY_LIMIT');
    expect((await run('print(1)')).ok).toBe(true);
  }, 120_000); // each exhausted interpreter is replaced: up to three cold starts on a loaded box

  it('kills a script stuck inside one long C call, then serves the next run', async () => {
    const quick = new ScriptSandbox({ timeMs: 1_000 });
    try {
      const started = quick.started;
      expect(failure(await quick.run('x = 10 ** (10 ** 8)', scene))).toBe('TIME_LIMIT');
      const after = await quick.run('scene.objects["cube"].name = "ok"', scene);
      expect(after.ok && after.objects.cube?.name).toBe('ok');
      expect(quick.started).toBe(started + 2);
    } finally {
      await quick.close();
    }
  }, 120_000);

  it('second wall on CPython’s own tree: code the static check misread is refused before it runs', async () => {
    // Straight to the sandbox process with the real configuration, as if policy.ts had missed it (lezer
    // read "\{" as an escape and never parsed the field behind it).
    const config = {
      steps: 100_000,
      outputBytes: 10_000,
      changes: 10,
      recursion: 100,
      seed: 'x',
      builtins: BUILTINS,
      modules: MODULES,
      attributes: [...ALLOWED_ATTRIBUTES],
      reserved: RESERVED_ATTRIBUTE.source,
      dunders: [...DUNDER_METHODS],
    };
    const codes = [
      'print(f"\\{print.__globals__}")',
      'print(rf"\\{print.__class__}")',
      'class A:\n    __getattr__ = print',
      'import math as m\nprint(m.ｐｉ.__class__)',
      'scene.objects["cube"].name = "ok"',
    ];
    const replies = await straight(codes, config);
    expect(replies.map(failure)).toEqual(['POLICY_REFUSED', 'POLICY_REFUSED', 'POLICY_REFUSED', 'POLICY_REFUSED', 'ran']);
  }, 120_000);

  it('hands a script no str subclass of its own back: ids and names are plain str, checked once', async () => {
    const r = await run(
      [
        'class S(str):',
        '    def __eq__(self, other):',
        '        return False',
        '    def __hash__(self):',
        '        return 7',
        '    def __lt__(self, other):',
        '        while True:',
        '            pass',
        'try:',
        '    scene.create_object(S("__proto__"))',
        'except Exception as e:',
        '    print("refused")',
        'scene.create_object(S("a1"), name=S("A"))',
        'scene.create_object(S("a2"))',
      ].join('\n'),
    );
    // the reserved id is refused, and sorting the changed ids runs none of the script's code
    expect(r.ok && [r.output, Object.keys(r.objects)]).toEqual(['refused\n', ['a1', 'a2']]);
  });

  it("runs a script's own code called while the error is reported under its limits, and reports that error", async () => {
    const raises = await run('class E(Exception):\n    def __str__(self):\n        raise ValueError("no")\nraise E()');
    expect(raises).toMatchObject({ ok: false, code: 'SCRIPT_ERROR', message: 'E:  (line 4)' });
    const loops = await run('class E(Exception):\n    def __str__(self):\n        while True:\n            pass\nraise E()');
    expect(failure(loops)).toBe('STEP_LIMIT');
  });

  it('keeps no state of one run for the next (module functions are fresh copies)', async () => {
    expect((await run('from colorsys import hsv_to_rgb\nhsv_to_rgb.stash = "secret"')).ok).toBe(true);
    const r = await run('from colorsys import hsv_to_rgb\nif False:\n    hsv_to_rgb.stash = ""\nprint(hsv_to_rgb.stash)');
    expect(!r.ok && r.message).toMatch(/AttributeError.*stash/);
  });

  it('reports data nested too deeply for the interpreter as a RecursionError, then serves the next run', async () => {
    const r = await run('x = []\nfor i in range(300000):\n    x = [x]\nprint(len(repr(x)))');
    expect(r).toMatchObject({ ok: false, code: 'SCRIPT_ERROR', message: expect.stringMatching(/RecursionError/) });
    expect((await run('print(1)')).ok).toBe(true);
  }, 120_000);

  it('third layer: code that got past both walls to the real import machinery still cannot import the JS bridge', async () => {
    // Straight to the sandbox process, skipping the policy check, as if the static check had a hole.
    const code = [
      "b = [c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'catch_warnings'][0]()._module.__builtins__",
      'out = []',
      "for m in ('js', 'pyodide_js', 'pyodide.code', 'pyodide.ffi', '_pyodide_core', '_pyodide._importhook'):",
      '    try:',
      "        b['__import__'](m)",
      "        out.append(m + ' imported')",
      '    except ImportError:',
      "        out.append(m + ' refused')",
      "sys = b['__import__']('sys')",
      "out.append(sorted(m for m in sys.modules if 'pyodide' in m or m.split('.')[0] == 'js'))",
      'print(out)',
    ].join('\n');
    const [reply] = await straight([code], {
      steps: 100_000,
      outputBytes: 10_000,
      changes: 10,
      recursion: 100,
      seed: 'x',
      builtins: ['print', 'ImportError', 'sorted', 'str', 'type'],
      modules: {},
      unchecked: true,
    });
    // nor find it in sys.modules (_pyodide._importhook's finder held globalThis as "js")
    expect(reply!.ok ? reply!.output : reply!.message).toBe(
      "['js refused', 'pyodide_js refused', 'pyodide.code refused', 'pyodide.ffi refused', '_pyodide_core refused', '_pyodide._importhook refused', []]\n",
    );
  }, 120_000);
});
