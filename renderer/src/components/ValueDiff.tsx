// Before/after of one field, shaped by what it is: vectors component by component, colours as
// swatches, mesh summaries as counts, anything else as compact text.
import type { FieldChange } from '../../../shared/ipc/index.js';
import { value } from '../format.js';

type Mesh = { vertexCount: number; faceCount: number; geometryHash?: string };
const isVector = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.length <= 4 && v.every((x) => typeof x === 'number');
const isMesh = (v: unknown): v is Mesh => typeof v === 'object' && v !== null && 'vertexCount' in v && 'faceCount' in v;
const isColour = (path: string, v: unknown) => /colou?r/i.test(path) && isVector(v) && v.length >= 3;

function Swatch({ rgba }: { rgba: number[] }) {
  const [r = 0, g = 0, b = 0, a = 1] = rgba.map((c) => Math.max(0, Math.min(1, c)));
  return (
    <span className="swatch" style={{ background: `rgba(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)}, ${a})` }} />
  );
}

function Side({ v, other, path, side }: { v: unknown; other: unknown; path: string; side: 'before' | 'after' }) {
  if (v === undefined) return <span className="muted">not set</span>;
  if (isVector(v)) {
    const o = isVector(other) ? other : [];
    return (
      <span className="vec">
        {isColour(path, v) && <Swatch rgba={v} />}
        {v.map((x, i) => (
          <span key={i} className={`vec-c${o[i] !== x ? ` changed-${side}` : ''}`}>
            {value(x)}
          </span>
        ))}
      </span>
    );
  }
  if (isMesh(v)) {
    const o = isMesh(other) ? other : null;
    return (
      <span className="mesh">
        <span className={o && o.vertexCount !== v.vertexCount ? `changed-${side}` : ''}>{v.vertexCount.toLocaleString()} verts</span>
        <span className={o && o.faceCount !== v.faceCount ? `changed-${side}` : ''}>{v.faceCount.toLocaleString()} faces</span>
        {v.geometryHash && <span className="muted mono">#{v.geometryHash.slice(0, 8)}</span>}
      </span>
    );
  }
  return <span className={`mono changed-${side}`}>{value(v)}</span>;
}

export function ChangeTable({ changes }: { changes: FieldChange[] }) {
  if (changes.length === 0) return <p className="muted">No field-level changes reported.</p>;
  return (
    <table className="diff" data-testid="diff-table">
      <thead>
        <tr>
          <th>Field</th>
          <th>Before</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path}>
            <td className="mono diff-path">{c.path}</td>
            <td className="diff-before">
              <Side v={c.before} other={c.after} path={c.path} side="before" />
            </td>
            <td className="diff-after">
              <Side v={c.after} other={c.before} path={c.path} side="after" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
