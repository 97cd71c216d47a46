// Audit slice: the newest entries (newest first, capped: the live view), the filter over them, and
// the "Search the full log" result: pages read from the orchestrator's durable log, newest first,
// with the cursor for the next (older) page.
import type { StateCreator } from 'zustand';
import { matchesAudit, type AuditEntry, type AuditQuery } from '../../../shared/ipc/index.js';
import type { PanelStore } from './index.js';

export const AUDIT_CAP = 2000;
/** Entries one "Search the full log" request (and each "Load older") asks for. */
export const AUDIT_PAGE = 200;
/** At most this many full-log entries are held; past it the person narrows the filter or time range. */
export const AUDIT_SEARCH_CAP = 20_000;

export interface AuditFilter {
  kind: string;
  text: string;
  /** exact actor name ('' = any) */
  actor?: string;
  /** `datetime-local` values ('' = open) */
  from?: string;
  to?: string;
}

export interface AuditSearch {
  /** the filter (filterKey) the pages were searched with */
  key: string;
  entries: AuditEntry[];
  /** `before` for the next page; null: the oldest match is shown */
  next: number | null;
}

export interface AuditSlice {
  audit: AuditEntry[];
  auditFilter: AuditFilter;
  auditSearch: AuditSearch | null;
  setAuditFilter(patch: Partial<AuditFilter>): void;
  /** a first page (replaces) or an older one (appends) */
  addAuditPage(key: string, page: { entries: AuditEntry[]; next: number | null }, older: boolean): void;
}

export const createAuditSlice: StateCreator<PanelStore, [], [], AuditSlice> = (set) => ({
  audit: [],
  auditFilter: { kind: '', text: '', actor: '', from: '', to: '' },
  auditSearch: null,
  // A full-log result belongs to the filter it was searched with: a new filter drops it.
  setAuditFilter: (patch) => set((s) => ({ auditFilter: { ...s.auditFilter, ...patch }, auditSearch: null })),
  addAuditPage: (key, page, older) =>
    set((s) => {
      if (older && s.auditSearch?.key !== key) return {};
      const entries = older && s.auditSearch ? s.auditSearch.entries.concat(page.entries) : page.entries;
      return { auditSearch: { key, entries, next: page.next } };
    }),
});

/** `datetime-local` → ms; `end` makes the minute inclusive. */
function localTime(value: string | undefined, end: boolean): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  if (!Number.isFinite(ms)) return undefined;
  return Math.max(0, end ? ms + 59_999 : ms);
}

/** The filter as the control contract's query (without limit and cursor). */
export function auditQuery(filter: AuditFilter): Omit<AuditQuery, 'limit'> {
  const text = filter.text.trim();
  const actor = filter.actor?.trim();
  const from = localTime(filter.from, false);
  const to = localTime(filter.to, true);
  return {
    ...(filter.kind && { kinds: [filter.kind] }),
    ...(text && { text }),
    ...(actor && { actor }),
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
  };
}

export const filterKey = (filter: AuditFilter) => JSON.stringify(auditQuery(filter));

/** Entries matching the filter: kind exactly (empty = all), text anywhere in summary/actor/reason/kind, actor, time range. */
export function filterAudit(entries: AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const q = auditQuery(filter);
  if (Object.keys(q).length === 0) return entries;
  return entries.filter((e) => matchesAudit(e, q));
}
