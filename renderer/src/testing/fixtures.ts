// Builders for panel views in tests: a plausible PanelState, engines, pending items, audit entries.
import type { AuditEntry, EngineView, PanelState, PendingView, PersonRole } from '../../../shared/ipc/index.js';

export const T0 = 1_700_000_000_000;

export function engine(name: string, patch: Partial<EngineView> = {}): EngineView {
  return {
    name,
    kind: 'blender',
    version: '3.4.1',
    roles: ['source'],
    state: 'HEALTHY',
    generation: 1,
    lastHeartbeatAt: T0,
    latencyMs: 1.2,
    throughput: [0, 4, 9, 3],
    breaker: 'closed',
    trust: 90,
    quarantineUntil: null,
    panic: null,
    cannotHold: null,
    ...patch,
  };
}

export function pendingItem(i: number, patch: Partial<PendingView> = {}): PendingView {
  return {
    pid: `p${i}`,
    agent: 'layout-bot',
    trust: 62,
    kind: 'edit',
    createdAt: T0 - i * 1000,
    rationale: `align crate ${i}`,
    targets: ['unity'],
    subject: `crate_${i}`,
    changes: [{ path: 'transform.position', before: [0, 0, 0], after: [i, 0, 1.5] }],
    script: null,
    ...patch,
  };
}

export const pendingItems = (n: number) => Array.from({ length: n }, (_, i) => pendingItem(i));

export function auditEntry(seq: number, patch: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq,
    at: T0 + seq,
    kind: 'approve',
    actor: 'ana',
    role: 'reviewer',
    summary: `approved p${seq}`,
    reason: null,
    terminal: false,
    ...patch,
  };
}

export function panelState(patch: Partial<PanelState> = {}, role: PersonRole = 'reviewer'): PanelState {
  return {
    orchestrator: { state: 'RUNNING', panic: null, walRecordsReplayed: 0, trustThreshold: 80, startedAt: T0, version: '0.1.0' },
    engines: [engine('blender'), engine('unity', { kind: 'unity', version: '2022.3', roles: ['target'] })],
    pending: [],
    objects: { notClean: [], counts: { CLEAN: 10, PENDING: 0, DIRTY: 0, LOCKED: 0 } },
    audit: [],
    me: { name: 'ana', role },
    ...patch,
  };
}
