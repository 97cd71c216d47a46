// How numbers, times and values read in the panel: short, fixed-width friendly, never "NaN".
export function age(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} m ${Math.floor((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.floor((ms % 3_600_000) / 60_000)} m`;
}

export const countdown = (untilMs: number, now: number) => {
  const left = Math.max(0, untilMs - now);
  const s = Math.ceil(left / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export const clockTime = (at: number) => {
  const d = new Date(at);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
};

export const latency = (ms: number | null) => (ms === null ? '—' : ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`);

export const rate = (perSecond: number) => (perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k/s` : `${Math.round(perSecond)}/s`);

// Up to 4 decimals, trailing zeros dropped: enough to see a change above the quantisation step.
const num = (n: number) => String(Number(n.toFixed(4)));

/** A field value as one line: vectors as (x, y, z), objects as compact JSON. */
export function value(v: unknown): string {
  if (v === undefined) return '∅';
  if (v === null) return 'null';
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return `(${v.map(num).join(', ')})`;
  // Nested values (mesh bounds, textures) with every number rounded the same way: never -4.5440000000000005.
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? Number(num(x)) : x));
}

/** The unit a field's numbers are in, as a reviewer reads it. */
export function unitOf(path: string): string {
  if (/position$|bounds/.test(path)) return 'm';
  if (/scale$/.test(path)) return '×';
  if (/rotation$/.test(path)) return 'quat';
  return '';
}

/** What an edit does to its subject, as a reviewer reads it: a create, a delete or an edit. */
export function editKind(item: { kind: string; changes: { path: string; before: unknown; after: unknown }[] }): string {
  if (item.kind !== 'edit') return item.kind;
  const whole = item.changes.length === 1 && (item.changes[0]!.path === 'object' || item.changes[0]!.path === 'material');
  if (whole && (item.changes[0]!.before === null || item.changes[0]!.before === undefined)) return 'create';
  if (whole && (item.changes[0]!.after === null || item.changes[0]!.after === undefined)) return 'delete';
  return 'edit';
}

/** The subject's name from the proposal itself when it carries one ("Crate 7 (obj_7)"), else its id. */
export function subjectLabel(item: { subject: string; changes: { path: string; before: unknown; after: unknown }[] }): string {
  for (const c of item.changes) {
    for (const v of [c.after, c.before]) {
      const name = (v as { name?: unknown } | null)?.name;
      if ((c.path === 'object' || c.path === 'material') && typeof name === 'string' && name && name !== item.subject)
        return `${name} (${item.subject})`;
    }
    if (c.path === 'name' && typeof c.before === 'string' && c.before !== item.subject) return `${c.before} (${item.subject})`;
  }
  return item.subject;
}
