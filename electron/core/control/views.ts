// The panel's read model: PanelState and its parts, derived from the brain on demand.
import pkg from '../../../package.json' with { type: 'json' };
import type { EngineView, NotSyncedSummary, NotSyncedView, ObjectView, PanelState, PendingView } from '../../../shared/ipc/index.js';
import { stateOf } from '../brain/id-map.js';
import type { PanelSource } from './context.js';
import type { Actor } from './types.js';

/** The orchestrator's version, as package.json names it (read once, when the module loads). */
export const VERSION: string = pkg.version;
const MAX_NOT_CLEAN = 2000;
const AUDIT_IN_STATE = 500;

export function orchestratorView(b: PanelSource): PanelState['orchestrator'] {
  return {
    state: b.mode,
    panic: b.state.panic,
    walRecordsReplayed: b.walRecordsReplayed,
    trustThreshold: b.state.trustThreshold,
    startedAt: b.startedAt,
    version: VERSION,
  };
}

export function engineViews(b: PanelSource): EngineView[] {
  const now = b.clock.now();
  const out: EngineView[] = [];
  for (const s of b.sessions.values()) {
    // A connection already closing is gone for everyone who asks, even before its close completes.
    if (s.peer.closed) continue;
    const rec = b.state.engines.get(s.name);
    out.push({
      name: s.name,
      kind: s.peer.engineKind,
      version: s.peer.engineVersion,
      roles: [...s.peer.roles],
      state: s.state(rec, now),
      generation: s.peer.generation,
      lastHeartbeatAt: s.lastHeartbeatAt,
      latencyMs: s.latencyMs,
      throughput: s.throughput(now),
      breaker: s.breakerOpen ? 'open' : 'closed',
      trust: rec?.trust ?? 50,
      quarantineUntil: rec?.quarantineUntil ?? null,
      panic: rec?.panic ?? null,
      cannotHold: s.cannotHold,
    });
  }
  // Engines that are gone but still need a person (PANIC, quarantine, an open breaker) stay visible.
  for (const rec of b.state.engines.values()) {
    if (out.some((e) => e.name === rec.name) || (!rec.panic && rec.quarantineUntil === null && !rec.breakerOpen)) continue;
    out.push({
      name: rec.name,
      kind: 'unknown',
      version: '',
      roles: [],
      state: rec.panic ? 'PANIC' : rec.quarantineUntil !== null ? 'QUARANTINED' : 'DEGRADED',
      generation: 0,
      lastHeartbeatAt: null,
      latencyMs: null,
      throughput: [],
      breaker: rec.breakerOpen ? 'open' : 'closed',
      trust: rec.trust,
      quarantineUntil: rec.quarantineUntil,
      panic: rec.panic,
      cannotHold: null,
    });
  }
  return out.sort((a, b2) => (a.name < b2.name ? -1 : 1));
}

export function pendingViews(b: PanelSource): PendingView[] {
  const out: PendingView[] = [];
  for (const p of b.state.proposals.values()) {
    if (p.status !== 'pending') continue;
    out.push({ ...p.view, trust: b.state.engines.get(p.view.agent)?.trust ?? p.view.trust });
  }
  return out.sort((a, c) => a.createdAt - c.createdAt);
}

export function objectsView(b: PanelSource): PanelState['objects'] {
  const notClean: ObjectView[] = [];
  for (const e of b.state.ids.entries.values()) {
    const state = stateOf(e);
    if (state === 'CLEAN') continue;
    if (notClean.length >= MAX_NOT_CLEAN) break;
    const name = e.kind === 'object' ? b.state.scene.objects.get(e.id)?.name : b.state.scene.materials.get(e.id)?.name;
    const mark = e.locked ?? e.dirty;
    notClean.push({
      id: e.id,
      name: name ?? e.id,
      state,
      reason: mark ? mark.reason : `pending: ${e.pending.join(', ')}`,
      since: mark ? mark.since : e.pendingSince,
    });
  }
  const total = b.state.scene.objects.size + b.state.scene.materials.size;
  return { notClean, counts: b.state.ids.counts(total), notSynced: notSyncedSummary(b) };
}

const MAX_NOT_SYNCED = 500;

/** Every object whose source marked what it could not send (protocol: notSynced), counted by kind. */
export function notSyncedSummary(b: PanelSource): NotSyncedSummary {
  const byKind: Record<string, number> = {};
  const items: NotSyncedView[] = [];
  let total = 0;
  for (const o of b.state.scene.objects.values()) {
    if (!o.notSynced) continue;
    total++;
    byKind[o.notSynced.kind] = (byKind[o.notSynced.kind] ?? 0) + 1;
    items.push({ id: o.id, name: o.name, kind: o.notSynced.kind, reason: o.notSynced.reason });
  }
  items.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return { total, byKind, items: items.slice(0, MAX_NOT_SYNCED) };
}

export function panelState(b: PanelSource, actor: Actor): PanelState {
  return {
    orchestrator: orchestratorView(b),
    engines: engineViews(b),
    pending: pendingViews(b),
    objects: objectsView(b),
    audit: b.state.audit.slice(-AUDIT_IN_STATE).reverse(),
    me: { name: actor.name, role: actor.role },
  };
}
