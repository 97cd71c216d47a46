// Audit log figures over a 100k-entry log: group-committed append rate, open time, and search
// latency for an override among 100k proposals (segments skipped by their index), a text that
// matches nothing (every segment scanned), and the next page from a cursor deep in the log.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditStore, type AuditInput } from '../electron/core/audit/index.js';
import { percentile, round, type Figure } from './stats.js';

const N = 100_000;
const BATCH = 1000;

const entry = (i: number): AuditInput => ({
  wal: i,
  at: 1_764_900_000_000 + i,
  kind: i === 10 ? 'token_reset' : 'proposal',
  actor: i === 10 ? 'lena' : `agent-${i % 7}`,
  role: i === 10 ? 'lead' : 'agent',
  summary: i === 10 ? 'token of unity reset; its PANIC cleared' : `edit proposal p${i} on obj_${i % 500}`,
  reason: i === 10 ? 'key leaked' : null,
  terminal: false,
});

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function benchAudit(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'vibesync-audit-bench-'));
  try {
    const store = AuditStore.open(dir);
    const t0 = performance.now();
    for (let i = 1; i <= N; i += BATCH) {
      for (let k = i; k < i + BATCH; k++) store.append(entry(k));
      await store.flushed();
    }
    const appendS = (performance.now() - t0) / 1000;
    const segments = store.stats().segments;
    await store.close();

    const o0 = performance.now();
    const s = AuditStore.open(dir);
    const openMs = performance.now() - o0;
    const kind = await timed(9, () => s.search({ kinds: ['token_reset'], limit: 50 }));
    const miss = await timed(3, () => s.search({ text: 'no entry says this', limit: 50 }));
    const deep = await timed(9, () => s.search({ before: N / 2, limit: 200 }));
    await s.close();
    const p50 = (xs: number[]) => round(percentile(xs, 50), 2);
    return [
      { name: 'audit_append_100k', value: round(N / appendS, 0), unit: 'records/s', batch: BATCH, segments },
      { name: 'audit_open_100k', value: round(openMs, 1), unit: 'ms' },
      { name: 'audit_search_override_in_100k_latency_p50', value: p50(kind), unit: 'ms' },
      { name: 'audit_search_text_miss_100k_latency_p50', value: p50(miss), unit: 'ms', note: 'every segment scanned' },
      { name: 'audit_page_from_cursor_100k_latency_p50', value: p50(deep), unit: 'ms', limit: 200 },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
