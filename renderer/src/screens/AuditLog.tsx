// Audit log: the live view (the newest entries the mirror holds, filtered as you type) and "Search
// the full log": the same filter (kind, text, actor, time range) sent to the orchestrator, which
// reads its durable log from disk; results arrive a page at a time, newest first, "Load older"
// follows the cursor, and the list is virtualised so thousands of rows stay cheap.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useMemo, useRef, type CSSProperties } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { AUDIT_KINDS, type AuditEntry } from '../../../shared/ipc/index.js';
import { EmptyState } from '../components/EmptyState.js';
import { clockTime } from '../format.js';
import { useAction } from '../hooks/useAction.js';
import { AUDIT_PAGE, AUDIT_SEARCH_CAP, auditQuery, filterAudit, filterKey, usePanel } from '../store/index.js';

const ROW_HEIGHT = 34;
const KNOWN = new Set<string>(Object.values(AUDIT_KINDS).flat());

function AuditRow({ e, style }: { e: AuditEntry; style?: CSSProperties }) {
  return (
    <tr className={e.terminal ? 'terminal' : ''} data-testid="audit-row" style={style}>
      <td className="num mono muted">{e.seq}</td>
      <td className="mono" title={new Date(e.at).toISOString()}>
        {clockTime(e.at)}
      </td>
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
  );
}

function Head() {
  return (
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
  );
}

/** Full-log results, virtualised: only the rows in view are in the DOM, with spacer rows around them. */
function FullResults({ entries, fixedRect }: { entries: AuditEntry[]; fixedRect: { width: number; height: number } | undefined }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the rule's warning is about compiler memoisation only
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    ...(fixedRect && {
      initialRect: fixedRect,
      observeElementRect: (_: unknown, cb: (r: { width: number; height: number }) => void) => {
        cb(fixedRect);
      },
    }),
  });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div className="audit-scroll" ref={scrollRef} data-testid="audit-full-list">
      <table className="grid audit">
        <Head />
        <tbody>
          {top > 0 && <tr aria-hidden style={{ height: top }} />}
          {items.map((v) => (
            <AuditRow key={entries[v.index]!.seq} e={entries[v.index]!} style={{ height: ROW_HEIGHT }} />
          ))}
          {bottom > 0 && <tr aria-hidden style={{ height: bottom }} />}
        </tbody>
      </table>
    </div>
  );
}

/** `fixedRect` stands in for layout where there is none (happy-dom); the browser measures the real one. */
export function AuditLog({ fixedRect }: { fixedRect?: { width: number; height: number } }) {
  const audit = usePanel((s) => s.audit);
  const filter = usePanel(useShallow((s) => s.auditFilter));
  const setFilter = usePanel((s) => s.setAuditFilter);
  const search = usePanel((s) => s.auditSearch);
  const addPage = usePanel((s) => s.addAuditPage);
  const deferred = useDeferredValue(filter);
  const seen = useMemo(() => [...new Set(audit.map((e) => e.kind))].filter((k) => !KNOWN.has(k)).sort(), [audit]);
  const key = filterKey(filter);
  const full = search && search.key === key ? search : null;
  const live = useMemo(() => filterAudit(audit, deferred).slice(0, 500), [audit, deferred]);
  const { busy, run } = useAction();

  const searchFull = async (older: boolean) => {
    const before = older ? full?.next : undefined;
    const res = await run(older ? 'Loading older entries' : 'Audit search', (api) =>
      api.queryAudit({ ...auditQuery(filter), limit: AUDIT_PAGE, ...(before && { before }) }),
    );
    if (res) addPage(key, res, older);
  };
  const full_ = full?.entries.length ?? 0;
  const capped = full_ >= AUDIT_SEARCH_CAP;

  return (
    <div className="screen" data-testid="screen-audit">
      <div className="screen-head">
        <h1>Audit log</h1>
        <div className="toolbar wrap">
          <select value={filter.kind} onChange={(e) => setFilter({ kind: e.target.value })} aria-label="Filter by kind">
            <option value="">All kinds</option>
            {Object.entries(AUDIT_KINDS).map(([group, kinds]) => (
              <optgroup key={group} label={group[0]!.toUpperCase() + group.slice(1)}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </optgroup>
            ))}
            {seen.map((k) => (
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
          <input
            type="search"
            placeholder="Actor…"
            value={filter.actor ?? ''}
            onChange={(e) => setFilter({ actor: e.target.value })}
            aria-label="Filter by actor"
            size={12}
          />
          <label className="field-inline">
            From
            <input
              type="datetime-local"
              value={filter.from ?? ''}
              onChange={(e) => setFilter({ from: e.target.value })}
              aria-label="From"
            />
          </label>
          <label className="field-inline">
            To
            <input type="datetime-local" value={filter.to ?? ''} onChange={(e) => setFilter({ to: e.target.value })} aria-label="To" />
          </label>
          <button
            className="btn"
            onClick={() => void searchFull(false)}
            disabled={busy}
            title="Search every entry the orchestrator has recorded, on disk, not only the latest"
          >
            Search the full log
          </button>
        </div>
      </div>
      {full ? (
        <>
          <div className="inline-note" data-testid="audit-full">
            {full_.toLocaleString('en-US')} entr{full_ === 1 ? 'y' : 'ies'} from the full log, newest first
            {full.next === null ? ' — that is every match.' : capped ? '.' : ' — older matches remain.'}{' '}
            {full.next !== null && !capped && (
              <button className="btn btn-small" onClick={() => void searchFull(true)} disabled={busy}>
                Load older
              </button>
            )}
            {full.next !== null &&
              capped &&
              ` Showing the newest ${AUDIT_SEARCH_CAP.toLocaleString('en-US')}: narrow the filter or the time range to reach older ones.`}{' '}
            Change the filter to return to the live view.
          </div>
          {full_ === 0 ? (
            <EmptyState title="Nothing in the full log matches">
              <p>Every decision, override and terminal failure since this data folder was created was searched.</p>
            </EmptyState>
          ) : (
            <FullResults entries={full.entries} fixedRect={fixedRect} />
          )}
        </>
      ) : live.length === 0 ? (
        <EmptyState title={audit.length ? 'No recent entry matches the filter' : 'No audit entries yet'}>
          <p>
            {audit.length
              ? 'This view holds the newest entries only: use “Search the full log” to search every entry on disk, or clear the filter.'
              : 'Every decision (approve, reject, overrides) and every terminal failure is recorded here, for good, in the data folder’s audit log.'}
          </p>
        </EmptyState>
      ) : (
        <table className="grid audit" data-testid="audit-table">
          <Head />
          <tbody>
            {live.map((e) => (
              <AuditRow key={e.seq} e={e} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
