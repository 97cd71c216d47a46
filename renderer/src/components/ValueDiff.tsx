// Before/after of one field, shaped by what it is: vectors component by component, colours as
// swatches, mesh summaries as counts, anything else as compact text.
import type { FieldChange } from '../../../shared/ipc/index.js';
import { unitOf, value } from '../format.js';

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

type Whole = { name?: string; type?: string; parent?: string | null; transform?: { position?: number[] }; mesh?: Mesh | null };
const isWhole = (path: string, v: unknown): v is Whole => (path === 'object' || path === 'material') && typeof v === 'object' && v !== null;

/** A whole object or material (a create, or what a delete removes): the fields a reviewer reads, not raw JSON. */
function WholeSummary({ v }: { v: Whole }) {
  const pos = v.transform?.position;
  return (
    <span className="whole" data-testid="whole-summary">
      {v.name !== undefined && <b>{v.name}</b>}
      {v.type && <span className="muted"> {v.type}</span>}
      {v.parent !== undefined && <span className="muted"> · parent {v.parent ?? 'none (root)'}</span>}
      {pos && <span className="mono"> · at {value(pos)} m</span>}
      {v.mesh && (
        <span className="muted">
          {' '}
          · {v.mesh.vertexCount.toLocaleString()} verts, {v.mesh.faceCount.toLocaleString()} faces
        </span>
      )}
    </span>
  );
}

function Side({ v, other, path, side }: { v: unknown; other: unknown; path: string; side: 'before' | 'after' }) {
  if (v === undefined) return <span className="muted">not set</span>;
  if (v === null && (path === 'object' || path === 'material'))
    return <span className="muted">{side === 'before' ? 'does not exist yet' : 'deleted'}</span>;
  if (isWhole(path, v)) return <WholeSummary v={v} />;
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
        {unitOf(path) && <span className="muted unit"> {unitOf(path)}</span>}
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
