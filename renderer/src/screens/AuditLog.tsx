// Audit log: newest first, filterable by kind and free text; terminal failures stand out. The
// mirror holds the latest entries; "Search the full log" asks the core (queryAudit) for older ones.
import { useDeferredValue, useMemo, useState } from 'react';
import type { AuditEntry } from '../../../shared/ipc/index.js';
import { useAction } from '../hooks/useAction.js';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../components/EmptyState.js';
import { clockTime } from '../format.js';
import { filterAudit, usePanel } from '../store/index.js';

export function AuditLog() {
  const audit = usePanel((s) => s.audit);
  const filter = usePanel(useShallow((s) => s.auditFilter));
  const setFilter = usePanel((s) => s.setAuditFilter);
  const deferred = useDeferredValue(filter);
  const kinds = useMemo(() => [...new Set(audit.map((e) => e.kind))].sort(), [audit]);
  const [full, setFull] = useState<AuditEntry[] | null>(null);
  const { busy, run } = useAction();
  // A full-log result belongs to the filter it was searched with: a new filter drops it (while rendering, not in an effect after).
  const filterKey = `${filter.kind}\u0000${filter.text}`;
  const [resultFilter, setResultFilter] = useState(filterKey);
  if (resultFilter !== filterKey) {
    setResultFilter(filterKey);
    setFull(null);
  }
  const rows = useMemo(() => (full ?? filterAudit(audit, deferred)).slice(0, 500), [full, audit, deferred]);
  const searchFull = async () => {
    const text = filter.text.trim();
    const res = await run('Audit search', (api) =>
      api.queryAudit({ ...(filter.kind && { kinds: [filter.kind] }), ...(text && { text }), limit: 500 }),
    );
    if (res) setFull(res.entries);
  };

  return (
    <div className="screen" data-testid="screen-audit">
      <div className="screen-head">
        <h1>Audit log</h1>
        <div className="toolbar">
          <select value={filter.kind} onChange={(e) => setFilter({ kind: e.target.value })} aria-label="Filter by kind">
            <option value="">All kinds</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          <input
            type="search"
            placeholder="Filter text…"
            value={filter.text}
            onChange={(e) => setFilter({ text: e.target.value })}
            aria-label="Filter text"
          />
          <button
            className="btn"
            onClick={() => void searchFull()}
            disabled={busy}
            title="Search every entry the orchestrator keeps, not only the latest"
          >
            Search the full log
          </button>
        </div>
      </div>
      {full && (
        <div className="inline-note" data-testid="audit-full">
          {full.length.toLocaleString()} entr{full.length === 1 ? 'y' : 'ies'} from the full log
          {full.length >= 500 ? ' (the newest 500)' : ''}. Change the filter to return to the live view.
        </div>
      )}
      {rows.length === 0 ? (
        <EmptyState title={audit.length ? 'No entry matches the filter' : 'No audit entries yet'}>
          <p>
            {audit.length
              ? 'Clear the filter to see every entry.'
              : 'Every decision (approve, reject, overrides) and every terminal failure is recorded here and in the WAL.'}
          </p>
        </EmptyState>
      ) : (
        <table className="grid audit" data-testid="audit-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Time</th>
              <th>Kind</th>
              <th>Actor</th>
              <th>Summary</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.seq} className={e.terminal ? 'terminal' : ''} data-testid="audit-row">
                <td className="num mono muted">{e.seq}</td>
                <td className="mono">{clockTime(e.at)}</td>
                <td>
                  <span className={`kindtag${e.terminal ? ' kindtag-bad' : ''}`}>{e.kind}</span>
                </td>
                <td>
                  {e.actor ?? <span className="muted">system</span>}
                  {e.role && <span className="cell-sub"> {e.role}</span>}
                </td>
                <td>{e.summary}</td>
                <td className="muted">{e.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
