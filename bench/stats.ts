// Small helpers every benchmark shares: medians, percentiles, the JSON-lines figure format.
export interface Figure {
  name: string;
  value: number;
  unit: string;
  [extra: string]: unknown;
}

export const median = (xs: number[]) => percentile(xs, 50);
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i]!;
}
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs `fn` `runs` times and returns the median of what it returns. */
export async function medianOf(runs: number, fn: () => Promise<number> | number): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn());
  return median(out);
}
