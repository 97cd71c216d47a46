// Before/after field changes a reviewer reads for an AI edit: transform parts, mesh summary,
// material fields, name, parent — one FieldChange per field that actually differs.
import type { FieldChange } from '../../../shared/ipc/index.js';
import type { Material, SceneObject } from '../../../shared/protocol/index.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function objectChanges(before: SceneObject | null, after: SceneObject | null): FieldChange[] {
  if (!before || !after) return [{ path: 'object', before, after }];
  const out: FieldChange[] = [];
  for (const k of ['position', 'rotation', 'scale'] as const) {
    if (!same(before.transform[k], after.transform[k]))
      out.push({ path: `transform.${k}`, before: before.transform[k], after: after.transform[k] });
  }
  for (const k of ['name', 'type', 'parent', 'materials', 'light', 'camera', 'notSynced'] as const)
    if (!same(before[k], after[k])) out.push({ path: k, before: before[k], after: after[k] });
  if (!same(before.mesh, after.mesh)) {
    const b = before.mesh,
      a = after.mesh;
    if (!b || !a) out.push({ path: 'mesh', before: b, after: a });
    else
      for (const k of ['vertexCount', 'faceCount', 'geometryHash', 'bounds'] as const)
        if (!same(b[k], a[k])) out.push({ path: `mesh.${k}`, before: b[k], after: a[k] });
  }
  return out;
}

export function materialChanges(before: Material | null, after: Material | null): FieldChange[] {
  if (!before || !after) return [{ path: 'material', before, after }];
  const out: FieldChange[] = [];
  for (const k of ['name', 'baseColor', 'metallic', 'roughness', 'textures'] as const) {
    if (!same(before[k], after[k])) out.push({ path: `material.${k}`, before: before[k], after: after[k] });
  }
  return out;
}
