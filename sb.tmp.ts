import { ScriptSandbox } from './electron/core/scripts/sandbox.ts';
const sb = new ScriptSandbox({ timeMs: 4000 });
const scene = { objects: [{ id: 'cube', name: 'Cube', type: 'mesh', parent: null, transform: { position: [0,0,0], rotation: [0,0,0,1], scale: [1,1,1] }, mesh: null, materials: [] }], materials: [] };
let t = performance.now(); await sb.warm(); console.log('cold', performance.now() - t);
const codes = [
 'import math\nc = scene.objects["cube"]\nc.position = (1, 2, math.pi)\nc.name = "Big"\nscene.create_material("red", base_color=(1,0,0,1))\nc.materials = ["red"]\nprint("hi", divmod(7,2))',
 'while True:\n    pass',
 'x = bytearray',
 'x = "a" * (10**9)',
 'x = [0] * (10**9)',
 'while True:\n    print("x" * 1000)',
 'x = 10**(10**8)',
 'def f(): f()\nf()',
 'while True:\n    try:\n        while True: pass\n    except:\n        pass',
 'scene.objects["nope"].name = "x"',
 'import random\nprint(random.random())',
];
for (const c of codes) { t = performance.now(); const r = await sb.run(c, scene); console.log(JSON.stringify(c.slice(0,30)), Math.round(performance.now()-t), JSON.stringify(r).slice(0, 300)); }
console.log('started', sb.started);
await sb.close();
