// Review queue: PENDING AI mutations, virtualised (only the visible window is in the DOM, so
// 10,000 rows stay smooth). Approve / reject one or many; j/k move, x selects, a approves,
// r rejects (with a reason).
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PendingView } from '../../../shared/ipc/index.js';
import { EmptyState, TokenIssueCode } from '../components/EmptyState.js';
import { Modal } from '../components/Modal.js';
import { RejectDialog, agentList, agentsOf } from '../components/RejectDialog.js';
import { age, editKind, subjectLabel } from '../format.js';
import { useAction } from '../hooks/useAction.js';
import { useOrchestratorNow } from '../hooks/useOrchestratorNow.js';
import { useLiveTrust } from '../hooks/useLiveTrust.js';
import { usePanel } from '../store/index.js';
import { PendingDetail } from './PendingDetail.js';

export const ROW_HEIGHT = 40;

/** The progress line's verb, by the action's label. */
const ING: Record<string, string> = { Approve: 'Approving', Reject: 'Rejecting' };

/** The pids an action applies to: the selection if there is one, else the row under the cursor. */
function actionTargets(): string[] {
  const { selected, pending, cursor } = usePanel.getState();
  if (selected.size > 0) return [...selected];
  const row = pending[cursor];
  return row ? [row.pid] : [];
}

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

// Memoised: while scrolling only rows entering the window render, not the whole window again.
const Row = memo(function Row({
  item,
  index,
  active,
  checked,
  now,
  start,
  trust,
}: {
  item: PendingView;
  index: number;
  active: boolean;
  checked: boolean;
  now: number;
  start: number;
  /** the agent's trust now (from the engines view), not the value it had when the row arrived */
  trust: number;
}) {
  const setCursor = usePanel((s) => s.setCursor);
  const toggle = usePanel((s) => s.toggleSelected);
  const findings = item.script?.findings ?? [];
  const blocked = findings.some((f) => f.severity === 'block');
  return (
    <div
      role="row"
      aria-selected={active}
      data-testid="pending-row"
      data-pid={item.pid}
      data-index={index}
      className={`qrow${active ? ' active' : ''}${checked ? ' checked' : ''}`}
      style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
      onClick={() => setCursor(index)}
    >
      <span role="gridcell" className="qcell-check">
        <input
          type="checkbox"
          checked={checked}
          aria-label={`Select ${item.pid}`}
          onChange={() => toggle(item.pid)}
          onClick={(e) => e.stopPropagation()}
        />
      </span>
      <span role="gridcell" className={`kind kind-${editKind(item)}`} data-testid="row-kind">
        {editKind(item)}
      </span>
      <span role="gridcell" className="qcell-subject">
        <span className="cell-title">{subjectLabel(item)}</span>
        <span className="cell-sub">{item.changes.map((c) => c.path).join(', ') || item.rationale}</span>
      </span>
      <span role="gridcell" className="qcell-flags">
        {findings.length > 0 && (
          <span className={`flag ${blocked ? 'flag-bad' : 'flag-warn'}`} title="scanner findings">
            {findings.length} finding{findings.length > 1 ? 's' : ''}
          </span>
        )}
      </span>
      <span role="gridcell" className="qcell-agent">
        {item.agent}
      </span>
      <span role="gridcell" className="qcell-trust mono" data-testid="row-trust">
        {trust}
      </span>
      <span role="gridcell" className="qcell-age mono">
        {age(now - item.createdAt)}
      </span>
    </div>
  );
});

/** `fixedRect` stands in for layout where there is none (happy-dom); the browser measures the real one. */
export function ReviewQueue({ fixedRect }: { fixedRect?: { width: number; height: number } }) {
  const pending = usePanel((s) => s.pending);
  const cursor = usePanel((s) => s.cursor);
  const selected = usePanel((s) => s.selected);
  const role = usePanel((s) => s.me?.role);
  const trustOf = useLiveTrust();
  const panic = usePanel((s) => s.orchestrator?.state === 'PANIC');
  const { moveCursor, toggleSelected, selectAll, clearSelection, removePending } = usePanel(
    useShallow((s) => ({
      moveCursor: s.moveCursor,
      toggleSelected: s.toggleSelected,
      selectAll: s.selectAll,
      clearSelection: s.clearSelection,
      removePending: s.removePending,
    })),
  );
  const [rejecting, setRejecting] = useState<string[] | null>(null);
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const bulkConfirmAbove = usePanel((s) => s.bulkConfirmAbove);
  const [rejectError, setRejectError] = useState<string | null>(null);
  // One decision at a time: `exclusive` refuses a second one, and the keys ask isBusy(), which is
  // current even before `busy` has rendered.
  const { busy, isBusy, progress, runChunked } = useAction();
  const now = useOrchestratorNow(5000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const canReview = role === 'reviewer' || role === 'lead';

  // No React Compiler builds this panel, and the memoised Row gets plain numbers from the virtualizer, never its functions.
  // eslint-disable-next-line react-hooks/incompatible-library -- the rule's warning is about compiler memoisation only
  const virtualizer = useVirtualizer({
    count: pending.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    ...(fixedRect && {
      initialRect: fixedRect,
      observeElementRect: (_: unknown, cb: (r: { width: number; height: number }) => void) => {
        cb(fixedRect);
      },
    }),
  });

  useEffect(() => {
    if (pending.length) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, pending.length, virtualizer]);

  // Each chunk's decided rows are dropped as it lands.
  const approve = useCallback(
    async (pids: string[]) => {
      if (pids.length === 0) return;
      await runChunked(
        'Approve',
        pids,
        (api, chunk) => api.approve({ pids: chunk }).then((r) => ({ decided: r.approved, missing: r.missing })),
        {
          exclusive: true,
          doneLabel: 'Approved',
          // Approving during PANIC records the decision, but nothing reaches an engine until a lead acts.
          ...(panic && {
            doneSuffix:
              ' — recorded, not applied: the orchestrator is in PANIC, so changes are halted; they go to the engines once a lead clears it',
          }),
          onChunk: removePending,
        },
      );
    },
    [runChunked, removePending, panic],
  );

  // Above the lead's limit a bulk approval asks first, naming whose proposals they are.
  const requestApprove = useCallback(
    (pids: string[]) => {
      if (pids.length > usePanel.getState().bulkConfirmAbove) setConfirming(pids);
      else void approve(pids);
    },
    [approve],
  );

  // A failed reject keeps the dialog open, with the reason typed so far and the error, for the rows still pending.
  const reject = useCallback(
    async (pids: string[], reason: string) => {
      setRejectError(null);
      const failed: { text: string | null } = { text: null };
      const out = await runChunked(
        'Reject',
        pids,
        (api, chunk) => api.reject({ pids: chunk, reason }).then((r) => ({ decided: r.rejected, missing: r.missing })),
        {
          exclusive: true,
          doneLabel: 'Rejected',
          onChunk: removePending,
          onError: (m) => {
            failed.text = m;
          },
        },
      );
      if (out === undefined && failed.text === null) return; // another decision is running: nothing was sent
      const still = new Set(usePanel.getState().pending.map((p) => p.pid));
      const left = pids.filter((pid) => still.has(pid));
      if (failed.text === null || left.length === 0) {
        setRejecting(null);
        setRejectError(null);
        return;
      }
      setRejecting(left);
      setRejectError(failed.text);
    },
    [runChunked, removePending],
  );
  const closeReject = useCallback(() => {
    setRejecting(null);
    setRejectError(null);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (rejecting || confirming || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const st = usePanel.getState();
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          moveCursor(1);
          break;
        case 'k':
        case 'ArrowUp':
          moveCursor(-1);
          break;
        case 'Home':
          moveCursor(-Infinity);
          break;
        case 'End':
          moveCursor(Infinity);
          break;
        case 'PageDown':
          moveCursor(10);
          break;
        case 'PageUp':
          moveCursor(-10);
          break;
        case 'x':
        case ' ': {
          const row = st.pending[st.cursor];
          if (row) toggleSelected(row.pid);
          break;
        }
        case 'a':
          if (canReview && !isBusy()) requestApprove(actionTargets());
          break;
        case 'r':
          if (canReview && !isBusy() && actionTargets().length) setRejecting(actionTargets());
          break;
        case 'Escape':
          clearSelection();
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rejecting, confirming, canReview, isBusy, requestApprove, moveCursor, toggleSelected, clearSelection]);

  const current = pending[cursor];
  const count = selected.size || (current ? 1 : 0);
  return (
    <div className="screen screen-split" data-testid="screen-review">
      <div className="screen-head">
        <h1>
          Review queue <span className="muted">{pending.length.toLocaleString()} pending</span>
        </h1>
        <div className="toolbar">
          {progress && (
            <span className="decision-progress" role="status" data-testid="decision-progress">
              <progress max={progress.total} value={progress.done} aria-label={`${ING[progress.label] ?? progress.label} progress`} />
              {ING[progress.label] ?? progress.label} {progress.done.toLocaleString()} / {progress.total.toLocaleString()}…
            </span>
          )}
          {selected.size > 0 && (
            <span className="muted" data-testid="selected-count">
              {selected.size.toLocaleString()} selected
            </span>
          )}
          <button className="btn" onClick={selectAll} disabled={!pending.length}>
            Select all
          </button>
          <button className="btn" onClick={clearSelection} disabled={!selected.size}>
            Clear
          </button>
          <button
            className="btn btn-primary"
            disabled={!canReview || !count || busy}
            onClick={() => requestApprove(actionTargets())}
            title={canReview ? 'a' : 'Reviewer role required'}
          >
            Approve{count > 1 ? ` ${count.toLocaleString()}` : ''} <kbd>a</kbd>
          </button>
          <button
            className="btn btn-danger"
            disabled={!canReview || !count || busy}
            onClick={() => setRejecting(actionTargets())}
            title={canReview ? 'r' : 'Reviewer role required'}
          >
            Reject{count > 1 ? ` ${count.toLocaleString()}` : ''} <kbd>r</kbd>
          </button>
        </div>
      </div>
      {!canReview && role && (
        <div className="inline-note">
          You are signed in as <b>{role}</b>: you can watch the queue; approving and rejecting need the reviewer role.
        </div>
      )}
      {pending.length === 0 ? (
        <EmptyState title="Nothing waiting for review">
          <p>
            AI agents' proposals land here as PENDING until a reviewer approves them (or trust mode does). Connect an agent with a token
            from <TokenIssueCode role="agent" name="my-agent" />.
          </p>
        </EmptyState>
      ) : (
        <div className="split">
          <div className="queue" role="grid" aria-label="Pending mutations" aria-rowcount={pending.length}>
            <div className="qhead" role="row">
              <span className="qcell-check" />
              <span>Kind</span>
              <span>Subject / fields</span>
              <span />
              <span>Agent</span>
              <span>Trust</span>
              <span>Age</span>
            </div>
            <div className="qscroll" ref={scrollRef} data-testid="queue-scroll">
              <div className="qspace" style={{ height: virtualizer.getTotalSize() }}>
                {virtualizer.getVirtualItems().map((v) => {
                  const item = pending[v.index]!;
                  return (
                    <Row
                      key={item.pid}
                      item={item}
                      index={v.index}
                      active={v.index === cursor}
                      checked={selected.has(item.pid)}
                      now={now}
                      start={v.start}
                      trust={trustOf(item)}
                    />
                  );
                })}
              </div>
            </div>
            <div className="qfoot muted">
              <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> select · <kbd>a</kbd> approve · <kbd>r</kbd> reject · <kbd>Esc</kbd> clear
            </div>
          </div>
          {current && <PendingDetail item={current} now={now} />}
        </div>
      )}
      {confirming && (
        <Modal title={`Approve ${confirming.length.toLocaleString()} mutations?`} onClose={() => setConfirming(null)}>
          <p data-testid="bulk-confirm">
            This approves {confirming.length.toLocaleString()} mutations at once (more than {bulkConfirmAbove.toLocaleString()}, the limit a
            lead set for confirming), proposed by {agentList(agentsOf(confirming, pending))}.
          </p>
          <div className="actions">
            <button type="button" className="btn" onClick={() => setConfirming(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                const pids = confirming;
                setConfirming(null);
                void approve(pids);
              }}
            >
              Approve {confirming.length.toLocaleString()}
            </button>
          </div>
        </Modal>
      )}
      {rejecting && (
        <RejectDialog
          count={rejecting.length}
          agents={agentsOf(rejecting, pending)}
          busy={busy}
          error={rejectError}
          onClose={closeReject}
          onConfirm={(reason) => void reject(rejecting, reason)}
        />
      )}
    </div>
  );
}
