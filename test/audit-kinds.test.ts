// Every kind of audit entry the brain writes (electron/core/brain/records.ts) is one the panel's
// kind filter offers (AUDIT_KINDS), so an override or failure is never unselectable.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { AUDIT_KINDS } from '../shared/ipc/index.js';

const KINDS_OF: Record<string, string[]> = {
  'r.t': ['approve', 'reject'],
  '`proposal_${r.status}`': ['proposal_failed', 'proposal_blocked'],
  '`drift_${r.worst}`': ['drift_numeric', 'drift_structural', 'drift_semantic'],
  "r.open ? 'breaker_open' : 'breaker_reset'": ['breaker_open', 'breaker_reset'],
};

it('AUDIT_KINDS lists every kind records.ts writes, and no other', () => {
  const src = readFileSync(new URL('../electron/core/brain/records.ts', import.meta.url), 'utf8');
  const calls = [...src.matchAll(/audit\(\s*s,\s*seq,\s*r\.at,\s*([^,]+),/g)].map((m) => m[1]!.trim());
  expect(calls.length).toBeGreaterThan(10);
  const kinds = new Set<string>();
  for (const c of calls) {
    const literal = /^'([a-z_]+)'$/.exec(c);
    const known = literal ? [literal[1]!] : KINDS_OF[c];
    if (!known) throw new Error(`records.ts writes an audit kind this test cannot read: ${c}`);
    for (const k of known) kinds.add(k);
  }
  const offered: string[] = [...AUDIT_KINDS.overrides, ...AUDIT_KINDS.failures, ...AUDIT_KINDS.decisions];
  expect([...kinds].sort()).toEqual(offered.sort());
});
