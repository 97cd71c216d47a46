// Blender adapter figures, with real headless Blender (`npm run bench -- blender`):
// - inside Blender, on a 1,000-object / 100k-vertex scene: full snapshot export (ids, transforms,
//   geometry hashes, scene hash, JSON) time and size, and one stream pass after moving one object,
//   incremental (what every dirty tick does) and full (the structural fallback);
// - through the real orchestrator: change made in Blender → the target simulator's commit, on the
//   3-object default scene and on the 1,000-object scene, and the adapter's initial snapshot there;
// - animation playback: N keyed objects, 60 fps playback simulated on the adapter's loop for 5 s
//   (tests/playback.py: frame_set by the wall clock) over the live lane: frames streamed per second,
//   frame set → the target showing it (preview) and → live_settled (durable), and how long after the
//   last frame the target simulator holds it (the backlog left behind).
// - one vertex edit on a 227k-vertex mesh (a 477 x 477 grid with UVs): inside Blender, the mesh's
//   encode (whole, with numpy; and by the list encoder used without numpy) and the stream pass after
//   moving one vertex (faces and UVs reused); through the real orchestrator, the change → the target
//   simulator's commit (the mesh blob is uploaded, stored, sent to the target and verified there);
//   and a painted 4096² image encoded to its PNG texture blob (tests/bench_mesh.py).
// Medians are the figures to quote (the machine is shared and noisy); p95 is printed alongside.
// Without Blender the bench prints why and returns nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startOrchestrator } from '../electron/core/orchestrator.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { BlenderProcess } from '../adapters/blender/testing/blender-process.js';
import { missingBlenderMessage } from '../adapters/blender/testing/find-blender.js';
import { hasBlender, runBlender } from '../adapters/blender/testing/python.js';

type Figure = { name: string; value: number; unit: string; [k: string]: unknown };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const OBJECTS = 1000;
const VERTICES = 100_000;

async function insideBlender(): Promise<Figure[]> {
  const r = await runBlender('adapters/blender/tests/bench_export.py', [String(OBJECTS), String(VERTICES)]);
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`bench_export.py printed no result:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  const b = JSON.parse(line.slice(6)) as {
    objects: number;
    vertices: number;
    export_ms_median: number;
    bytes: number;
    stream_pass_ms_incremental: number;
    stream_pass_ms_full: number;
  };
  const scene = { objects: b.objects, vertices: b.vertices };
  return [
    { name: 'blender_snapshot_export_1k_objects_100k_vertices', value: b.export_ms_median, unit: 'ms', stat: 'median of 5', ...scene },
    { name: 'blender_snapshot_size_1k_objects_100k_vertices', value: Math.round(b.bytes / 1024), unit: 'KiB', ...scene },
    {
      name: 'blender_stream_pass_one_object_moved_1k_incremental',
      value: b.stream_pass_ms_incremental,
      unit: 'ms',
      stat: 'median of 30',
      ...scene,
    },
    { name: 'blender_stream_pass_one_object_moved_1k_full', value: b.stream_pass_ms_full, unit: 'ms', stat: 'median of 10', ...scene },
  ];
}

async function meshInsideBlender(): Promise<Figure[]> {
  const r = await runBlender('adapters/blender/tests/bench_mesh.py', []);
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`bench_mesh.py printed no result:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  const b = JSON.parse(line.slice(6)) as {
    vertices: number;
    faces: number;
    corners: number;
    mesh_encode_ms: number;
    mesh_encode_lists_ms: number;
    one_vertex_edit_pass_ms: number;
    one_vertex_edit_with_depsgraph_ms: number;
    png_4096_ms: number;
    png_4096_bytes: number;
  };
  const mesh = { vertices: b.vertices, faces: b.faces, corners: b.corners, uvs: true };
  return [
    { name: 'blender_mesh_encode_227k_vertices', value: b.mesh_encode_ms, unit: 'ms', stat: 'median of 3', path: 'numpy', ...mesh },
    { name: 'blender_mesh_encode_227k_vertices_without_numpy', value: b.mesh_encode_lists_ms, unit: 'ms', stat: 'one run', ...mesh },
    { name: 'blender_stream_pass_one_vertex_edit_227k', value: b.one_vertex_edit_pass_ms, unit: 'ms', stat: 'median of 10', ...mesh },
    {
      name: 'blender_one_vertex_edit_227k_with_depsgraph_update',
      value: b.one_vertex_edit_with_depsgraph_ms,
      unit: 'ms',
      stat: 'median of 10',
      ...mesh,
    },
    { name: 'blender_png_encode_4096_painted', value: b.png_4096_ms, unit: 'ms', stat: 'median of 3', bytes: b.png_4096_bytes },
  ];
}

/** Moves one vertex of a 227k-vertex grid `samples` times and times each change until the target simulator committed it. */
async function meshEdit(samples: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-bench-mesh-'));
  const orch = await startOrchestrator({ dataDir: dir, port: 0, logger: pino({ level: 'silent' }), staticDir: join(dir, 'no-panel') });
  const unity = new SimAdapter({ url: orch.url, token: orch.tokens.issue('adapter', 'unity').token, name: 'unity', roles: ['target'] });
  let blender: BlenderProcess | null = null;
  try {
    await unity.connect();
    blender = new BlenderProcess({
      VIBESYNC_URL: orch.url,
      VIBESYNC_TOKEN: orch.tokens.issue('adapter', 'blender').token,
      VIBESYNC_NAME: 'blender',
      VIBESYNC_TARGETS: 'unity',
    });
    await blender.waitFor((e) => e.event === 'snapshot', 60_000);
    await unity.waitFor('resync', undefined, 60_000);
    await blender.exec('bpy.ops.mesh.primitive_grid_add(x_subdivisions=476, y_subdivisions=476, size=4, calc_uvs=True)', 60_000);
    const id = await blender.eval<string>('bpy.data.objects["Grid"]["vibesync_id"]');
    await unity.until(() => unity.scene.object(id)?.mesh?.vertexCount === 477 * 477, 'the grid on the target', 120_000);
    const ms: number[] = [];
    const pass: number[] = [];
    for (let i = 1; i <= samples; i++) {
      const before = unity.scene.object(id)!.mesh!.geometryHash;
      const base = unity.committed;
      const from = blender.events.length;
      await blender.exec(
        [
          'import time',
          'me = bpy.data.objects["Grid"].data',
          `me.vertices[477 * 200 + 200].co.z = ${i * 0.01}`,
          'me.update()',
          'emit({"event": "changed", "at": time.time()})',
        ].join('\n'),
      );
      const changed = await blender.waitFor((e) => e.event === 'changed', 10_000, from);
      await unity.until(() => unity.committed > base && unity.scene.object(id)!.mesh!.geometryHash !== before, `commit ${i}`, 30_000);
      ms.push(Date.now() - (changed.at as number) * 1000);
      // the pass that read and encoded the mesh; the mutation goes out on a later one, once the blob is stored
      const encoded = await blender.waitFor((e) => e.event === 'waiting_for_blobs', 10_000, from);
      pass.push(encoded.ms as number);
    }
    const common = { vertices: 477 * 477, samples };
    return [
      { name: 'blender_one_vertex_edit_227k_change_to_target_commit_p50', value: round(pct(ms, 50)), unit: 'ms', ...common },
      { name: 'blender_one_vertex_edit_227k_change_to_target_commit_p95', value: round(pct(ms, 95)), unit: 'ms', ...common },
      { name: 'blender_one_vertex_edit_227k_stream_pass_in_adapter_p50', value: round(pct(pass, 50), 1), unit: 'ms', ...common },
    ];
  } finally {
    await blender?.stop();
    unity.crash();
    await orch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchScene(dir: string): Promise<string> {
  const file = join(dir, 'bench-1k.blend');
  const r = await runBlender('adapters/blender/tests/bench_scene.py', [file, String(OBJECTS), String(VERTICES)]);
  if (!r.stdout.includes(`SAVED ${file}`))
    throw new Error(`bench_scene.py did not save the scene:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  return file;
}

/** Moves one object `samples` times and times each change until the target simulator committed it. */
async function latency(label: string, blendFile: string | undefined, objectName: string, samples: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-bench-blender-'));
  const orch = await startOrchestrator({ dataDir: dir, port: 0, logger: pino({ level: 'silent' }), staticDir: join(dir, 'no-panel') });
  const unity = new SimAdapter({ url: orch.url, token: orch.tokens.issue('adapter', 'unity').token, name: 'unity', roles: ['target'] });
  let blender: BlenderProcess | null = null;
  try {
    await unity.connect();
    blender = new BlenderProcess(
      {
        VIBESYNC_URL: orch.url,
        VIBESYNC_TOKEN: orch.tokens.issue('adapter', 'blender').token,
        VIBESYNC_NAME: 'blender',
        VIBESYNC_TARGETS: 'unity',
      },
      blendFile,
    );
    const snapshot = await blender.waitFor((e) => e.event === 'snapshot', 60_000);
    await unity.waitFor('resync', undefined, 60_000);
    const id = await blender.eval<string>(`bpy.data.objects["${objectName}"]["vibesync_id"]`);
    const ms: number[] = [];
    const pass: number[] = [];
    const base = unity.committed;
    for (let i = 1; i <= samples; i++) {
      const x = 100 + i * 0.25;
      const from = blender.events.length;
      await blender.exec(`import time\nbpy.data.objects["${objectName}"].location.x = ${x}\nemit({"event": "changed", "at": time.time()})`);
      const changed = await blender.waitFor((e) => e.event === 'changed', 10_000, from);
      await unity.until(() => unity.scene.object(id)?.transform.position[0] === x && unity.committed >= base + i, `commit ${i}`);
      ms.push(Date.now() - (changed.at as number) * 1000);
      const streamed = await blender.waitFor((e) => e.event === 'streamed', 10_000, from);
      pass.push(streamed.ms as number);
    }
    const objects = (snapshot.objects as number) ?? 0;
    return [
      { name: `blender_change_to_target_commit_${label}_p50`, value: round(pct(ms, 50)), unit: 'ms', samples, objects },
      { name: `blender_change_to_target_commit_${label}_p95`, value: round(pct(ms, 95)), unit: 'ms', samples, objects },
      { name: `blender_stream_pass_in_adapter_${label}_p50`, value: round(pct(pass, 50), 2), unit: 'ms', samples, objects },
      { name: `blender_initial_snapshot_in_adapter_${label}`, value: snapshot.ms as number, unit: 'ms', objects },
    ];
  } finally {
    await blender?.stop();
    unity.crash();
    await orch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** N empties keyed linear from x = 0 (frame 1) to x = 100 (frame 301), played at 60 fps for 5 s. */
async function playback(n: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-bench-playback-'));
  const orch = await startOrchestrator({ dataDir: dir, port: 0, logger: pino({ level: 'silent' }), staticDir: join(dir, 'no-panel') });
  const unity = new SimAdapter({
    url: orch.url,
    token: orch.tokens.issue('adapter', 'unity').token,
    name: 'unity',
    roles: ['target'],
    live: true,
  });
  let blender: BlenderProcess | null = null;
  const FPS = 60;
  const LAST = 301;
  let probe = '';
  /** scene frame → when the target first showed it (ms): anim0's x is 100·(frame − 1)/300 */
  const shownAt = new Map<number, number>();
  unity.on('live', (_frame: number, records: Array<{ id: string; position: number[] }>) => {
    const r = records.find((x) => x.id === probe);
    const f = r && Math.round(r.position[0]! * 3) + 1;
    if (f !== undefined && !shownAt.has(f)) shownAt.set(f, Date.now());
  });
  try {
    await unity.connect();
    blender = new BlenderProcess({
      VIBESYNC_URL: orch.url,
      VIBESYNC_TOKEN: orch.tokens.issue('adapter', 'blender').token,
      VIBESYNC_NAME: 'blender',
      VIBESYNC_TARGETS: 'unity',
    });
    await blender.waitFor((e) => e.event === 'snapshot', 60_000);
    await unity.waitFor('resync', undefined, 60_000);
    await blender.exec(
      [
        'scene = bpy.context.scene',
        `for i in range(${n}):`,
        '    o = bpy.data.objects.new("anim%d" % i, None)',
        '    scene.collection.objects.link(o)',
        '    for f, x in ((1, 0.0), (301, 100.0)):',
        '        o.location = (x, i * 0.5, 0.0)',
        '        o.keyframe_insert("location", frame=f)',
        '    for k in o.animation_data.action.fcurves[0].keyframe_points:',
        '        k.interpolation = "LINEAR"',
        'scene.frame_set(1)',
      ].join('\n'),
      60_000,
    );
    probe = await blender.eval<string>('bpy.data.objects["anim0"]["vibesync_id"]');
    await unity.until(() => unity.scene.object(probe)?.transform.position[0] === 0, 'animated objects on the target', 60_000);
    const from = blender.events.length;
    await blender.exec(
      `import sys\nsys.path.insert(0, "adapters/blender/tests")\nimport playback\nplayback.play(adapter, emit, 1, ${LAST}, ${FPS})`,
    );
    const played = await blender.waitFor((e) => e.event === 'played', 60_000, from);
    const playedAt = Date.now();
    await unity.until(() => Math.abs(unity.scene.object(probe)!.transform.position[0]! - 100) < 1e-3, 'last frame on the target', 30_000);
    const backlogMs = Date.now() - playedAt;
    const events = blender.events.slice(from);
    const setAt = new Map(events.filter((e) => e.event === 'frame').map((e) => [e.frame as number, e.t as number]));
    const sent = events.filter((e) => e.event === 'streamed' && e.frame != null);
    // The live lane (docs/protocol.md "Live lane"): a frame's moves are a preview on the target at
    // once, and durable when live_settled names the live frame (Blender's numbering) that carried them.
    const sceneFrameOf = new Map(sent.filter((e) => e.live != null).map((e) => [e.live as number, e.frame as number]));
    const toSettled = events
      .filter((e) => e.event === 'live_settled' && sceneFrameOf.has(e.frame as number))
      .map((e) => ((e.t as number) - setAt.get(sceneFrameOf.get(e.frame as number)!)!) * 1000);
    const toTarget = [...shownAt].filter(([f]) => setAt.has(f)).map(([f, t]) => t - setAt.get(f)! * 1000);
    const seconds = played.s as number;
    const common = { objects: n, playback_fps: FPS, frames_set: played.frames as number, seconds: round(seconds, 2) };
    const quantiles = (name: string, xs: number[], note: string): Figure[] =>
      [50, 95].map((q) => ({
        name: `blender_playback_${name}_${n}_objects_p${q}`,
        value: round(pct(xs, q)),
        unit: 'ms',
        samples: xs.length,
        ...(q === 50 && { note }),
        ...common,
      }));
    if (toTarget.length === 0 || toSettled.length === 0)
      throw new Error(`playback of ${n} objects: no live frame reached the target or settled`);
    return [
      { name: `blender_playback_frames_streamed_per_s_${n}_objects`, value: round(sent.length / seconds), unit: 'frames/s', ...common },
      ...quantiles('frame_to_target_preview', toTarget, 'frame_set in Blender → the live frame applied on the target'),
      ...quantiles('frame_to_live_settled', toSettled, 'frame_set in Blender → live_settled (durable in the WAL)'),
      { name: `blender_playback_last_frame_to_target_${n}_objects`, value: backlogMs, unit: 'ms', ...common },
    ];
  } finally {
    await blender?.stop();
    unity.crash();
    await orch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchBlender(): Promise<Figure[]> {
  if (!hasBlender) {
    console.log(missingBlenderMessage('the Blender bench'));
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-bench-scene-'));
  try {
    const big = await benchScene(dir);
    return [
      ...(await insideBlender()),
      ...(await meshInsideBlender()),
      ...(await meshEdit(10)),
      ...(await latency('3_objects', undefined, 'Cube', 20)),
      ...(await latency('1k_objects', big, `obj${OBJECTS / 2}`, 20)),
      ...(await playback(100)),
      ...(await playback(1000)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('blender.ts')) {
  // node --import tsx bench/blender.ts playback: the playback figures alone
  const figures = process.argv[2] === 'playback' ? [...(await playback(100)), ...(await playback(1000))] : await benchBlender();
  for (const f of figures) console.log(JSON.stringify(f));
}
