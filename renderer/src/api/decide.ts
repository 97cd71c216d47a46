// Approving or rejecting many at once. One call decides at most MAX_PIDS_PER_CALL, so a large
// selection ("Select all" on 25,000 pending) goes in chunks, in order, reporting progress after
// each; the first failure stops it and says how far it got.
import { MAX_PIDS_PER_CALL } from '../../../shared/ipc/index.js';

/** Small enough for the progress bar to move about once a second at 10,000 pending. */
export const DECISION_CHUNK = Math.min(2_000, MAX_PIDS_PER_CALL);

export interface ChunkResult {
  decided: string[];
  missing: string[];
}
export interface DecisionOutcome extends ChunkResult {
  error: unknown;
}

export async function decideInChunks(
  pids: readonly string[],
  call: (chunk: string[]) => Promise<ChunkResult>,
  onChunk: (progress: { done: number; total: number; decided: string[] }) => void = () => {},
): Promise<DecisionOutcome> {
  const out: DecisionOutcome = { decided: [], missing: [], error: null };
  for (let i = 0; i < pids.length; i += DECISION_CHUNK) {
    const chunk = pids.slice(i, i + DECISION_CHUNK);
    try {
      const r = await call(chunk);
      out.decided.push(...r.decided);
      out.missing.push(...r.missing);
      onChunk({ done: i + chunk.length, total: pids.length, decided: r.decided });
    } catch (e) {
      out.error = e;
      break;
    }
  }
  return out;
}
