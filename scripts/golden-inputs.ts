// Inputs for the canonical-hash golden vectors shared with the Python, C# and GDScript adapters.
// Each case exercises one rule: quantisation boundaries, -0, quaternion sign folding, Unicode names, ordering.
import type { Material, Scene, SceneObject } from '../shared/protocol/index.js';

const h = (c: string) => c.repeat(64).slice(0, 64);

export const cube: SceneObject = {
  id: 'obj-cube',
  name: 'Cube',
  type: 'mesh',
  parent: null,
  transform: { position: [1, 2.5, -3.25], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
  mesh: { vertexCount: 8, faceCount: 6, geometryHash: h('a'), bounds: { min: [-1, -1, -1], max: [1, 1, 1] } },
  materials: ['mat-red'],
};
export const lamp: SceneObject = {
  id: 'obj-lamp',
  name: 'Lämpchen ☀',
  type: 'light',
  parent: 'obj-cube',
  transform: { position: [0.00004999, -0.00005, 1e-9], rotation: [0, 0, 0, -1], scale: [2, 2, 2] },
  mesh: null,
  materials: [],
};
export const tilted: SceneObject = {
  id: 'obj-tilted',
  name: 'tilted "quoted" \\ name\n',
  type: 'empty',
  parent: null,
  transform: {
    position: [-0.00015, 123456.78901, -0],
    rotation: [0.3826834323650898, 0, 0, 0.9238795325112867],
    scale: [0.1, 1e-5, 3.333333333],
  },
  mesh: null,
  materials: [],
};
export const unnormalised: SceneObject = {
  id: 'obj-unnorm',
  name: 'unnormalised quaternion',
  type: 'camera',
  parent: null,
  transform: { position: [0, 0, 0], rotation: [0, 0, -2, 0], scale: [1, 1, 1] },
  mesh: null,
  materials: [],
};
/** the edges of what the canonical form holds: quantised magnitudes up to 1e15, a short (1e-3) quaternion */
export const edges: SceneObject = {
  id: 'obj-edges',
  name: 'range edges',
  type: 'empty',
  parent: null,
  transform: { position: [99999999999.99995, -1e11, 12345678.12345], rotation: [1e-3, 0, 0, 0], scale: [1e10, 0.000004999, 1] },
  mesh: null,
  materials: [],
};
export const red: Material = {
  id: 'mat-red',
  name: 'Red',
  baseColor: [0.8, 0.05, 0.05, 1],
  metallic: 0,
  roughness: 0.5,
  textures: [
    { slot: 'normal', width: 2048, height: 2048, hash: h('b') },
    { slot: 'base_color', width: 1024, height: 512, hash: h('c') },
  ],
};
export const scene: Scene = { objects: [tilted, lamp, cube, unnormalised], materials: [red] };

export const geometry = {
  positions: [-1, -1, -1, 1, -1, -1, 1, 1, -1, -1, 1, -1, 0.00005, -0.00005, 0.99995],
  faces: [
    [0, 1, 2],
    [0, 2, 3],
    [0, 3, 4],
  ],
};

/** Two ids whose RFC 8785 order (UTF-16 code units) differs from a case-insensitive or locale sort. */
export const caseOrder: [SceneObject, SceneObject] = [
  { ...unnormalised, id: 'Z-upper', name: 'upper case first', type: 'empty' },
  {
    ...unnormalised,
    id: 'a-lower',
    name: 'lower case second',
    type: 'empty',
    parent: 'Z-upper',
    transform: { position: [0.5, 0.25, -0.125], rotation: [0, 0.7071067811865476, 0, 0.7071067811865476], scale: [1, 1, 1] },
  },
];

/** The simulator's box mesh at half-extent 0.5: quads, shared corners. */
export const boxGeometry = {
  positions: [
    -0.5, -0.5, -0.5, -0.5, -0.5, 0.5, -0.5, 0.5, -0.5, -0.5, 0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0.5, 0.5,
  ],
  faces: [
    [0, 1, 3, 2],
    [4, 6, 7, 5],
    [0, 4, 5, 1],
    [2, 3, 7, 6],
    [0, 2, 6, 4],
    [1, 5, 7, 3],
  ],
};

// Lights and cameras (kinds.ts): values rounded to float32, then quantised.
const at = (y: number): SceneObject['transform'] => ({ position: [0, y, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] });
export const sun: SceneObject = {
  id: 'obj-sun',
  name: 'Sun',
  type: 'light',
  parent: null,
  transform: { position: [0, 10, 0], rotation: [-0.7071067811865476, 0, 0, 0.7071067811865476], scale: [1, 1, 1] },
  mesh: null,
  materials: [],
  light: { kind: 'directional', color: [1, 0.95, 0.8], intensity: 3.5, range: null, spot: null },
};
export const spot: SceneObject = {
  id: 'obj-spot',
  name: 'Spot',
  type: 'light',
  parent: 'obj-cube',
  transform: at(3),
  mesh: null,
  materials: [],
  // float32 first: 0.55555 is 0.5555499792… (→ 5555, not 5556) and 0.26185 is 0.2618499994… (→ 2618, not 2619)
  light: { kind: 'spot', color: [1, 0.55555, 0.25], intensity: 1000.1, range: 12.5, spot: { inner: 0.26185, outer: 0.5 } },
};
export const area: SceneObject = {
  id: 'obj-area',
  name: 'Softbox',
  type: 'light',
  parent: null,
  transform: at(2),
  mesh: null,
  materials: [],
  light: { kind: 'area', color: [1, 1, 1], intensity: 250, range: null, spot: null },
};
export const perspective: SceneObject = {
  id: 'obj-cam',
  name: 'Camera',
  type: 'camera',
  parent: null,
  transform: at(1.6),
  mesh: null,
  materials: [],
  camera: { projection: 'perspective', yfov: 0.6911112070083618, orthoSize: null, near: 0.1, far: 1000 },
};
export const ortho: SceneObject = {
  id: 'obj-ortho',
  name: 'Top view',
  type: 'camera',
  parent: null,
  transform: at(50),
  mesh: null,
  materials: [],
  camera: { projection: 'orthographic', yfov: null, orthoSize: 7.5, near: 0.01, far: 100 },
};
export const lit: Scene = { objects: [sun, spot, perspective, cube], materials: [red] };
