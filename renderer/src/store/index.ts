// The panel's one store, made of slices (one per feature). Components select single values or
// use useShallow; tests call resetStores() so no state leaks between them.
import { create } from 'zustand';
import { createAuditSlice, type AuditSlice } from './audit.js';
import { createClockSlice, type ClockSlice } from './clock.js';
import { createConnectionSlice, type ConnectionSlice } from './connection.js';
import { createEnginesSlice, type EnginesSlice } from './engines.js';
import { createObjectsSlice, type ObjectsSlice } from './objects.js';
import { createOrchestratorSlice, type OrchestratorSlice } from './orchestrator.js';
import { createReviewSlice, type ReviewSlice } from './review.js';
import { createUiSlice, type UiSlice } from './ui.js';

export type PanelStore = ConnectionSlice &
  ClockSlice &
  OrchestratorSlice &
  EnginesSlice &
  ReviewSlice &
  ObjectsSlice &
  AuditSlice &
  UiSlice;

export const usePanel = create<PanelStore>()((...a) => ({
  ...createConnectionSlice(...a),
  ...createClockSlice(...a),
  ...createOrchestratorSlice(...a),
  ...createEnginesSlice(...a),
  ...createReviewSlice(...a),
  ...createObjectsSlice(...a),
  ...createAuditSlice(...a),
  ...createUiSlice(...a),
}));

const initialState = usePanel.getState();

/** Back to a fresh, disconnected panel (tests; logging out). */
export function resetStores(): void {
  usePanel.setState({ ...initialState, selected: new Set<string>() }, true);
}

export { filterAudit, auditQuery, filterKey, AUDIT_CAP, AUDIT_PAGE, AUDIT_SEARCH_CAP } from './audit.js';
export type { Screen, Notice } from './ui.js';
export type { ConnectionStatus } from './connection.js';
export type { ServerTimeSample } from './clock.js';
