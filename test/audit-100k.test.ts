// Issue 10 item 8: the audit log is complete and durable. Overrides and a terminal failure made
// before a burst of 100,000 proposals are still found by "Search the full log", pages through the
// burst are consistent (every entry once, in order), the brain holds only a bounded window in
// memory, and the chain verifies after a restart. Entries come through the real path: records
// written by the brain (WAL + audit log), overrides through the control contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMERGENCY_ACK, type AuditEntry } from '../shared/ipc/index.js';
import { verifyAuditDir } from '../electron/core/audit/index.js';
import { AUDIT_KEEP } from '../electron/core/brain/durable-state.js';
import { panicRecord, proposalBurst } from './support/audit-burst.js';
import { startHarness, type Harness } from './support/harness.js';
import { join } from 'node:path';

const BURST = 100_000;
const lead = { name: 'lena', role: 'lead' } as const;
const viewer = { name: 'vic', role: 'viewer' } as const;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 30_000);
afterAll(async () => {
  await h?.stopAll();
});

describe('audit log at 100,000 proposals', () => {
  it('keeps every override and terminal failure findable, pages consistently, and holds a bounded window', async () => {
    const brain = h.orch.brain;
    const call = h.orch.control.call.bind(h.orch.control);
    // Overrides and a terminal failure, before the burst.
    await call(lead, 'setTrustThreshold', { value: 80, reason: 'trusted agents only this sprint' });
    h.orch.tokens.issue('adapter', 'unity');
    await call(lead, 'resetToken', { engine: 'unity', reason: 'key leaked in a screenshot' });
    await brain.write([panicRecord(brain, 'disk full')]);
    await call(lead, 'emergencyUnlock', { acknowledge: EMERGENCY_ACK, reason: 'disk cleaned, state checked by hand' });
    const beforeBurst = brain.audit!.lastSeq;

    // The burst, through the brain's real write path (test/support/audit-burst.ts).
    await proposalBurst(brain, BURST);
    const last = brain.audit!.lastSeq;
    expect(last).toBe(beforeBurst + BURST);

    // Memory: the brain's window and the panel's state are bounded; the store holds nothing unwritten.
    expect(brain.state.audit.length).toBeLessThanOrEqual(AUDIT_KEEP * 1.2);
    expect(h.orch.control.state(viewer).audit.length).toBeLessThanOrEqual(500);
    expect((brain.audit as unknown as { stats(): { pending: number } }).stats().pending).toBe(0);

    // Search the full log: the overrides and the PANIC are all still there.
    const overrides = await call(viewer, 'queryAudit', {
      kinds: ['emergency_unlock', 'token_reset', 'trust_threshold', 'panic'],
      limit: 50,
    });
    expect(overrides.next).toBeNull();
    expect(overrides.entries.map((e) => [e.kind, e.actor, e.reason])).toEqual([
      ['emergency_unlock', 'lena', 'disk cleaned, state checked by hand'],
      ['panic', null, expect.any(String)],
      ['token_reset', 'lena', 'key leaked in a screenshot'],
      ['trust_threshold', 'lena', 'trusted agents only this sprint'],
    ]);
    expect((await call(viewer, 'queryAudit', { text: 'LEAKED', limit: 5 })).entries.map((e) => e.kind)).toEqual(['token_reset']);
    expect((await call(viewer, 'queryAudit', { actor: 'lena', limit: 5 })).entries).toHaveLength(3);

    // Paging one agent's proposals through the whole burst: every one once, newest first, no gaps.
    const seen: AuditEntry[] = [];
    let before: number | undefined;
    let pages = 0;
    for (;;) {
      const page = await call(viewer, 'queryAudit', { kinds: ['proposal'], actor: 'agent-3', limit: 5000, ...(before && { before }) });
      seen.push(...page.entries);
      pages++;
      if (page.next === null) break;
      before = page.next;
    }
    const expected = Array.from({ length: BURST }, (_, i) => i)
      .filter((i) => i % 7 === 3)
      .reverse();
    expect(seen.map((e) => e.summary)).toEqual(expected.map((i) => `edit proposal p${i} on obj_${i % 500}`));
    expect(new Set(seen.map((e) => e.seq)).size).toBe(seen.length);
    expect(seen.every((e, k) => k === 0 || e.seq < seen[k - 1]!.seq)).toBe(true);
    expect(pages).toBe(Math.ceil(expected.length / 5000));

    // After a restart, the window is the newest entries and the whole chain verifies.
    await h.orch.close();
    expect(verifyAuditDir(join(h.dir, 'audit'))).toMatchObject({ ok: true, count: last });
    const again = await h.restart();
    expect(again.brain.state.audit.at(-1)?.seq).toBe(last);
    expect(again.brain.state.audit.length).toBeLessThanOrEqual(AUDIT_KEEP * 1.2);
    const after = await again.control.call(viewer, 'queryAudit', { kinds: ['token_reset'], limit: 5 });
    expect(after.entries.map((e) => e.reason)).toEqual(['key leaked in a screenshot']);
  }, 120_000);
});
