// Rejecting needs a reason (≥ 3 characters, the contract's rule): it is written to the audit log
// and sent back to the agent. When the core refuses, the dialog stays open with the error and the
// reason typed so far.
import { useState } from 'react';
import { Modal } from './Modal.js';

export const MIN_REASON = 3;

/** How many of the rows each agent proposed, most first. */
export function agentsOf(pids: readonly string[], pending: readonly { pid: string; agent: string }[]): [string, number][] {
  const want = new Set(pids);
  const counts = new Map<string, number>();
  for (const p of pending) if (want.has(p.pid)) counts.set(p.agent, (counts.get(p.agent) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export const agentList = (agents: [string, number][]) =>
  agents.map(([a, n]) => `${a} (${n.toLocaleString()} proposal${n > 1 ? 's' : ''})`).join(', ');

export function RejectDialog({
  count,
  agents = [],
  busy,
  error,
  onConfirm,
  onClose,
}: {
  count: number;
  /** the agents whose proposals these are, with how many each: every rejection costs its agent trust */
  agents?: [string, number][];
  busy: boolean;
  error?: string | null;
  onConfirm(reason: string): void;
  onClose(): void;
}) {
  const [reason, setReason] = useState('');
  const ok = reason.trim().length >= MIN_REASON;
  return (
    <Modal title={`Reject ${count === 1 ? 'mutation' : `${count.toLocaleString()} mutations`}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ok && !busy) onConfirm(reason.trim());
        }}
      >
        <label className="field">
          <span>Reason (sent to the agent and kept in the audit log)</span>
          <textarea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            rows={3}
            maxLength={500}
            placeholder="e.g. moves the hero prop off the floor plane"
            aria-label="Reject reason"
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                if (ok && !busy) onConfirm(reason.trim());
              }
            }}
          />
        </label>
        {agents.length > 0 && (
          <p className="hint" data-testid="reject-penalised">
            Each rejection lowers its agent&apos;s trust. This will penalise: {agentList(agents)}.
          </p>
        )}
        {!ok && <p className="hint">A reason of at least {MIN_REASON} characters is required.</p>}
        {error && (
          <p className="form-error" role="alert" data-testid="reject-error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-danger" disabled={!ok || busy}>
            Reject
          </button>
        </div>
      </form>
    </Modal>
  );
}
