// Test support: a burst of AI proposals written through the brain's real write path (WAL + audit
// log), each batch then closed as applied (which adds no audit entry), so the pending queue stays
// small while the audit log grows by one entry per proposal. Shared by the 100k unit and e2e tests.
import type { PendingView } from '../../shared/ipc/index.js';
import type { Brain } from '../../electron/core/brain/brain.js';
import type { BrainRecord } from '../../electron/core/brain/records.js';
import { panicView } from '../../electron/core/brain/failures.js';

/** `agent-${i % 7}` proposes `p${i}` on `obj_${i % 500}`: its entry reads `edit proposal p${i} on obj_${i % 500}`. */
export async function proposalBurst(brain: Brain, count: number, batch = 2000): Promise<void> {
  for (let i = 0; i < count; i += batch) {
    const at = brain.clock.now();
    const pids: string[] = [];
    const proposals: BrainRecord[] = [];
    for (let k = i; k < Math.min(count, i + batch); k++) {
      const view: PendingView = {
        pid: `p${k}`,
        agent: `agent-${k % 7}`,
        trust: 50,
        kind: 'edit',
        createdAt: at,
        rationale: '',
        targets: ['unity'],
        subject: `obj_${k % 500}`,
        changes: [],
        script: null,
      };
      pids.push(view.pid);
      proposals.push({
        t: 'proposal',
        at,
        proposal: { view, status: 'pending', mutation: null, touches: [], subjectKind: null, digest: `d${k}` },
      });
    }
    await brain.write(proposals);
    await brain.write(pids.map((pid) => ({ t: 'proposal_closed', at, pid, status: 'applied', reason: 'applied' })));
  }
}

/** A terminal failure with nothing LOCKED (the orchestrator in PANIC), so a lead may emergency-unlock. */
export function panicRecord(brain: Brain, cause: string): BrainRecord {
  const at = brain.clock.now();
  return { t: 'panic', at, view: panicView('walCorrupt', cause, null, at), lock: [], quarantineUntil: null };
}
