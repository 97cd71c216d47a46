// Audit slice: the newest entries (newest first, capped) and the panel's filter over them.
import type { StateCreator } from 'zustand';
import type { AuditEntry } from '../../../shared/ipc/index.js';
import type { PanelStore } from './index.js';

export const AUDIT_CAP = 2000;

export interface AuditSlice {
  audit: AuditEntry[];
  auditFilter: { kind: string; text: string };
  setAuditFilter(patch: Partial<AuditSlice['auditFilter']>): void;
}

export const createAuditSlice: StateCreator<PanelStore, [], [], AuditSlice> = (set) => ({
  audit: [],
  auditFilter: { kind: '', text: '' },
  setAuditFilter: (patch) => set((s) => ({ auditFilter: { ...s.auditFilter, ...patch } })),
});

/** Entries matching the filter: kind exactly (empty = all), text anywhere in summary/actor/reason. */
export function filterAudit(entries: AuditEntry[], filter: AuditSlice['auditFilter']): AuditEntry[] {
  const text = filter.text.trim().toLowerCase();
  if (!filter.kind && !text) return entries;
  return entries.filter(
    (e) =>
      (!filter.kind || e.kind === filter.kind) &&
      (!text || `${e.summary} ${e.actor ?? ''} ${e.reason ?? ''} ${e.kind}`.toLowerCase().includes(text)),
  );
}
