// Canonical forms of lights and cameras. Every engine stores these values as 32-bit floats (a
// Blender light's energy, a Unity intensity, a Godot light_energy), so each is first rounded to the
// nearest float32, then quantised: an engine that stores exactly what arrived hashes exactly what
// was sent. Objects without light or camera data keep the canonical form they always had.
import type { Camera, Light } from '../protocol/kinds.js';
import { STEPS, quantise } from './quantise.js';

/** float32 first (Math.fround: IEEE round to nearest, ties to even), then the step. */
export const quantise32 = (x: number, step: number) => quantise(Math.fround(x), step);
const q32 = (x: number | null, step: number) => (x === null ? null : quantise32(x, step));

export function canonicalLight(l: Light) {
  return {
    k: l.kind,
    c: l.color.map((x) => quantise32(x, STEPS.color)),
    i: quantise32(l.intensity, STEPS.intensity),
    r: q32(l.range, STEPS.position),
    s: l.spot ? [quantise32(l.spot.inner, STEPS.angle), quantise32(l.spot.outer, STEPS.angle)] : null,
  };
}

export function canonicalCamera(c: Camera) {
  return {
    p: c.projection,
    y: q32(c.yfov, STEPS.angle),
    o: q32(c.orthoSize, STEPS.position),
    n: quantise32(c.near, STEPS.position),
    f: quantise32(c.far, STEPS.position),
  };
}

const num = (x: number | null) => (x === null ? 'null' : String(x));

/** canonicalLight as RFC 8785 text (keys c, i, k, r, s). */
export function lightJson(l: Light): string {
  const c = canonicalLight(l);
  return `{"c":[${c.c.join(',')}],"i":${c.i},"k":${JSON.stringify(c.k)},"r":${num(c.r)},"s":${c.s ? `[${c.s.join(',')}]` : 'null'}}`;
}

/** canonicalCamera as RFC 8785 text (keys f, n, o, p, y). */
export function cameraJson(cam: Camera): string {
  const c = canonicalCamera(cam);
  return `{"f":${c.f},"n":${c.n},"o":${num(c.o)},"p":${JSON.stringify(c.p)},"y":${num(c.y)}}`;
}
