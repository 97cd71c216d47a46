// The Godot 4.x build of the add-on, checked as far as possible without a Godot 4 binary (none is
// installable here: docs/adapters/godot.md). It is generated from the 3.x sources that godot3-server
// runs (adapters/godot/godot-*.test.ts); these tests keep the committed build equal to a fresh one,
// refuse any 3.x-only name or syntax in it, and keep the hashing core byte-identical between builds.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BuildError, GODOT3_ROOT, OUT, OVERLAY, generate, listFiles, staleFiles } from './build.js';
import { checkBuild, declared } from './check.js';
import { scan } from './gdscript-lex.js';
import { rewrite } from './rewrite.js';

const build = generate();
const scripts = [...build].filter(([path]) => path.endsWith('.gd'));
const godot3 = (path: string) => readFileSync(join(GODOT3_ROOT, path), 'utf8');

describe('the generated Godot 4 build', () => {
  it('is deterministic and the committed copy (adapters/godot/godot4/project) is up to date', () => {
    expect([...generate()]).toEqual([...build]);
    expect(staleFiles(build, OUT), 'run: node --import tsx adapters/godot/godot4/build.ts').toEqual([]);
  });

  it('has every file of the 3.x add-on and test scripts, plugin.cfg and a Godot 4 project.godot', () => {
    for (const dir of ['addons/vibesync', 'tests']) {
      for (const rel of listFiles(join(GODOT3_ROOT, dir))) expect(build.has(`${dir}/${rel}`), `${dir}/${rel}`).toBe(true);
    }
    expect(build.get('addons/vibesync/plugin.cfg')).toBe(godot3('addons/vibesync/plugin.cfg'));
    expect(build.get('addons/vibesync/plugin.cfg')).toMatch(/^script="plugin\.gd"$/m);
    expect(build.get('project.godot')).toMatch(/^config_version=5$/m);
  });

  it('passes every static check (no 3.x-only names, balanced structure, Godot 4 classes, paths that exist)', () => {
    expect(checkBuild(build)).toEqual([]);
  });

  it('holds none of the 3.x-only tokens, outside comments', () => {
    const forbidden = [
      'yield(',
      'WebSocketClient',
      '.translation',
      'PoolVector3Array',
      'PoolStringArray',
      'JSON.parse(',
      'File.new(',
      'OS.get_ticks',
      '.empty()',
      'get_rotation_quat(',
      'TYPE_REAL',
    ];
    const words = ['Spatial', 'SpatialMaterial', 'MeshInstance', 'Reference', 'Quat', 'Transform', 'Camera', 'CubeMesh'];
    for (const [path, text] of scripts) {
      const code = scan(text).noComments;
      for (const token of forbidden) expect(code.includes(token), `${path}: ${token}`).toBe(false);
      for (const word of words) expect(new RegExp(`\\b${word}\\b`).test(code), `${path}: ${word}`).toBe(false);
      for (const line of code.split('\n')) expect(line, path).not.toMatch(/^\s*(tool|export var|onready var)\b/);
    }
  });

  it('marks editor scripts @tool first and extends only Godot 4 classes', () => {
    for (const path of ['addons/vibesync/plugin.gd', 'addons/vibesync/dock.gd']) {
      const code = scan(build.get(path)!)
        .code.split('\n')
        .filter((l) => l.trim() !== '');
      expect(code[0], path).toBe('@tool');
    }
    const extendsOf = (path: string) => /^extends (\w+)/m.exec(build.get(path)!)?.[1] ?? null;
    expect(extendsOf('addons/vibesync/plugin.gd')).toBe('EditorPlugin');
    expect(extendsOf('addons/vibesync/scene/scene_io.gd')).toBe('RefCounted');
    expect(extendsOf('addons/vibesync/net/ws.gd')).toBe('RefCounted');
    expect(extendsOf('tests/run_adapter.gd')).toBe('SceneTree');
    expect(build.get('addons/vibesync/scene/scene_io.gd')).toContain('n = MeshInstance3D.new()');
    expect(build.get('tests/run_adapter.gd')).toContain('n.position = Vector3(p[0], p[1], p[2])');
  });

  it('shares the hashing core with the 3.x add-on byte for byte (the golden vectors run on it in Godot 3)', () => {
    const core = [...build.keys()].filter((p) => p.startsWith('addons/vibesync/core/'));
    expect(core.sort()).toEqual(
      ['blobs.gd', 'canonical.gd', 'live.gd', 'mesh_blob.gd', 'not_synced.gd', 'protocol.gd', 'shadow.gd', 'wire_json.gd'].map(
        (f) => `addons/vibesync/core/${f}`,
      ),
    );
    for (const path of core) expect(build.get(path), path).toBe(godot3(path));
  });

  it('takes the 4.x halves of the shim, which declare the same names as the 3.x halves', () => {
    for (const path of ['addons/vibesync/compat.gd', 'addons/vibesync/net/ws.gd']) {
      const four = readFileSync(join(OVERLAY, path), 'utf8');
      expect(build.get(path)).toBe(four);
      const api = (text: string) => [...declared(text)].filter((name) => !name.startsWith('_')).sort();
      expect(api(four), path).toEqual(api(godot3(path)));
    }
    expect(build.get('addons/vibesync/net/ws.gd')).toContain('WebSocketPeer.new()');
  });

  it('docs/adapters/godot.md names every Compat function and says the 4.x build was never run', () => {
    const doc = readFileSync(join(GODOT3_ROOT, '..', '..', 'docs', 'adapters', 'godot.md'), 'utf8');
    for (const name of declared(godot3('addons/vibesync/compat.gd'))) expect(doc, name).toContain(`\`${name}`);
    expect(doc).toContain('generated, statically checked, never run');
    expect(doc).toContain('node --import tsx adapters/godot/godot4/build.ts');
  });
});

describe('rewrite (3.x → 4.x names and syntax)', () => {
  it('turns 3.x syntax into 4.x', () => {
    expect(rewrite('tool\nextends Spatial\n')).toBe('@tool\nextends Node3D\n');
    expect(rewrite('export var speed = 1\n\tonready var label = $Label\n')).toBe('@export var speed = 1\n\t@onready var label = $Label\n');
    expect(rewrite('\tyield(get_tree(), "idle_frame")\n')).toBe('\tawait get_tree().process_frame\n');
    expect(rewrite('\tyield(get_tree().create_timer(0.5), "timeout")\n')).toBe('\tawait get_tree().create_timer(0.5).timeout\n');
    expect(rewrite('\tvar r = yield(load_all(), "completed")\n')).toBe('\tvar r = await load_all()\n');
  });

  it('renames whole names only', () => {
    expect(rewrite('var m: SpatialMaterial = x.get_surface_material(0)\n')).toBe(
      'var m: StandardMaterial3D = x.get_surface_override_material(0)\n',
    );
    expect(rewrite('var t: Transform = Transform(Basis(Quat(0, 0, 0, 1)), n.translation)\n')).toBe(
      'var t: Transform3D = Transform3D(Basis(Quaternion(0, 0, 0, 1)), n.position)\n',
    );
    const untouched = 'func set_transform(n, Lighting, Spatially):\n\tpass\n';
    expect(rewrite(untouched)).toBe(untouched);
  });

  it('leaves what it cannot translate for the checks to refuse', () => {
    expect(rewrite('export(int, 0, 9) var level = 1\n')).toBe('export(int, 0, 9) var level = 1\n');
  });
});

describe('the static checks catch a broken build', () => {
  const broken = (path: string, edit: (text: string) => string) =>
    checkBuild(new Map([...build].map(([p, t]) => [p, p === path ? edit(t) : t])));
  const messages = (problems: { message: string }[]) => problems.map((p) => p.message).join('\n');
  const scene = 'addons/vibesync/scene/scene_io.gd';

  it('a 3.x name left behind', () => {
    expect(messages(broken(scene, (t) => t.replace('var root: Node3D', 'var root: Spatial')))).toMatch(
      /3\.x-only "Spatial"|Spatial is not a Godot 4 class/,
    );
    expect(messages(broken(scene, (t) => `${t}\nfunc f():\n\tyield(get_tree(), "idle_frame")\n`))).toMatch(/yield/);
    expect(messages(broken(scene, (t) => `${t}\nfunc f(b):\n\tb.connect("pressed", self, "g")\n`))).toMatch(/Compat\.connect_signal/);
    expect(messages(broken(scene, (t) => t.replace('extends RefCounted', 'extends KinematicBody')))).toMatch(
      /KinematicBody is not a Godot 4 class/,
    );
  });

  it('broken structure, a missing path or an undeclared shim call', () => {
    expect(messages(broken(scene, (t) => t.replace('reindex()\n', 'reindex(\n')))).toMatch(/unclosed \(/);
    expect(messages(broken(scene, (t) => t.replace('\t_nodes.clear()', '    _nodes.clear()')))).toMatch(/spaces/);
    expect(messages(broken(scene, (t) => t.replace('\t_nodes.clear()', '\t\t_nodes.clear()')))).toMatch(/deepens without a block/);
    expect(messages(broken(scene, (t) => t.replace('vibesync/core/shadow.gd")', 'vibesync/core/gone.gd")')))).toMatch(
      /res:\/\/addons\/vibesync\/core\/gone\.gd is not in the build/,
    );
    expect(messages(broken('addons/vibesync/adapter.gd', (t) => t.replace('Compat.json_parse(', 'Compat.parse_json(')))).toMatch(
      /Compat\.parse_json is not declared/,
    );
    expect(messages(broken('addons/vibesync/adapter.gd', (t) => t.replace('"bad_frame"', '"bad_frame')))).toMatch(/unterminated string/);
    const noCfg = new Map(build);
    noCfg.delete('addons/vibesync/plugin.cfg');
    expect(messages(checkBuild(noCfg))).toMatch(/missing/);
  });

  describe('a 3.x source the generator cannot translate', () => {
    let dir = '';
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('fails the build with a typed error naming the file, line and fix, and writes nothing', () => {
      dir = mkdtempSync(join(tmpdir(), 'vibesync-godot4-'));
      for (const sub of ['addons', 'tests']) cpSync(join(GODOT3_ROOT, sub), join(dir, sub), { recursive: true });
      const dock = join(dir, 'addons/vibesync/dock.gd');
      writeFileSync(
        dock,
        readFileSync(dock, 'utf8').replace(
          'signal disconnect_requested\n',
          'signal disconnect_requested\nexport(int, 0, 9) var level = 1\n',
        ),
      );
      let error: unknown;
      try {
        generate(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(BuildError);
      expect((error as BuildError).message).toMatch(/addons\/vibesync\/dock\.gd:\d+: 3\.x-only "export": export → @export/);
      expect(staleFiles(build, OUT)).toEqual([]);
    });
  });
});
