// Quarantine: adapters in read-only cool-off (with a countdown) and DIRTY / LOCKED objects that
// need a fresh snapshot before their branch can change again.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../components/EmptyState.js';
import { Modal } from '../components/Modal.js';
import { StatePill } from '../components/StatePill.js';
import { age, countdown } from '../format.js';
import { useAction } from '../hooks/useAction.js';
import { useOrchestratorNow } from '../hooks/useOrchestratorNow.js';
import { usePanel } from '../store/index.js';
import { TrustBar } from './SyncHealth.js';

function ResnapshotDialog({ objectId, onClose }: { objectId: string; onClose(): void }) {
  const [reason, setReason] = useState('');
  const { busy, run } = useAction();
  const notify = usePanel((s) => s.notify);
  const ok = reason.trim().length >= 3;
  const submit = async () => {
    const res = await run('Re-snapshot', (api) => api.requestResnapshot({ objectId, reason: reason.trim() }));
    if (res) {
      notify('ok', `Re-snapshot of ${res.objectId} requested from ${res.engine}`);
      onClose();
    }
  };
  return (
    <Modal title={`Request a fresh snapshot of ${objectId}`} onClose={onClose}>
      <p className="muted">
        The source engine re-exports the object; it returns to CLEAN once every target matches the new canonical hash.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) void submit();
        }}
      >
        <label className="field">
          <span>Reason</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} aria-label="Re-snapshot reason" maxLength={500} />
        </label>
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!ok || busy}>
            Request re-snapshot
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function Quarantine() {
  const engines = usePanel(useShallow((s) => s.engines.filter((e) => e.state === 'QUARANTINED' || e.quarantineUntil !== null)));
  const objects = usePanel(useShallow((s) => s.objects.notClean.filter((o) => o.state === 'DIRTY' || o.state === 'LOCKED')));
  const role = usePanel((s) => s.me?.role);
  const [resnap, setResnap] = useState<string | null>(null);
  const now = useOrchestratorNow(1000);
  const canAct = role === 'reviewer' || role === 'lead';

  return (
    <div className="screen" data-testid="screen-quarantine">
      <div className="screen-head">
        <h1>Quarantine</h1>
      </div>
      <h2 className="section">Quarantined adapters</h2>
      {engines.length === 0 ? (
        <EmptyState title="No adapter in quarantine">
          <p>
            An adapter that depletes its trust (too many minor violations or rate-limit hits) is put here read-only, and returns on its own
            when the cool-off ends.
          </p>
        </EmptyState>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>Engine</th>
              <th>State</th>
              <th className="num">Trust</th>
              <th className="num">Cool-off left</th>
            </tr>
          </thead>
          <tbody>
            {engines.map((e) => (
              <tr key={e.name} data-testid={`quarantined-${e.name}`}>
                <td>
                  <div className="cell-title">{e.name}</div>
                  <div className="cell-sub">
                    {e.kind} {e.version}
                  </div>
                </td>
                <td>
                  <StatePill state={e.state} />
                </td>
                <td className="num">
                  <TrustBar value={e.trust} />
                </td>
                <td className="num mono countdown">{e.quarantineUntil ? countdown(e.quarantineUntil, now) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 className="section">Dirty and locked objects</h2>
      {objects.length === 0 ? (
        <EmptyState title="No object is DIRTY or LOCKED">
          <p>
            When a hash mismatch or a failed source leaves an object in doubt it is marked DIRTY here, and its branch takes no further
            mutations until it is re-snapshotted.
          </p>
        </EmptyState>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>Object</th>
              <th>State</th>
              <th>Why</th>
              <th className="num">Since</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {objects.map((o) => (
              <tr key={o.id} data-testid={`dirty-${o.id}`}>
                <td>
                  <div className="cell-title">{o.name || o.id}</div>
                  <div className="cell-sub mono">{o.id}</div>
                </td>
                <td>
                  <StatePill state={o.state} />
                </td>
                <td>{o.reason ?? <span className="muted">—</span>}</td>
                <td className="num mono">{age(now - o.since)}</td>
                <td className="num">
                  {o.state === 'DIRTY' && (
                    <button className="btn btn-small" disabled={!canAct} onClick={() => setResnap(o.id)}>
                      Re-snapshot
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {resnap && <ResnapshotDialog objectId={resnap} onClose={() => setResnap(null)} />}
    </div>
  );
}
