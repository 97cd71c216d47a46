// The top bar: orchestrator state, connection, who I am. Always visible, always calm.
import { INITIAL_TRUST, trustModeMeaning } from '../../../shared/ipc/index.js';
import { usePanel } from '../store/index.js';
import { StatePill } from './StatePill.js';

export function TopBar() {
  const orch = usePanel((s) => s.orchestrator);
  const status = usePanel((s) => s.connection.status);
  const transport = usePanel((s) => s.connection.transport);
  const me = usePanel((s) => s.me);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        VibeSync
      </div>
      <div className="topbar-item" data-testid="orchestrator-state">
        <span className="label">Orchestrator</span>
        {/* While the panel is not connected it cannot know the state: it says so, and what it last saw. */}
        {orch && status === 'live' ? <StatePill state={orch.state} /> : <StatePill state="DISCONNECTED" />}
        {orch && status !== 'live' && <span className="muted">last seen {orch.state}</span>}
        {orch?.state === 'REPLAYING' && <span className="muted">{orch.walRecordsReplayed.toLocaleString()} WAL records replayed</span>}
      </div>
      {orch && (
        // What "TRUST MODE ≥ N" means, on hover and for screen readers (the bar has no room for a paragraph).
        <div
          className="topbar-item"
          data-testid="trust-mode"
          title={trustModeMeaning(orch.trustThreshold)}
          aria-label={trustModeMeaning(orch.trustThreshold)}
          role="note"
          tabIndex={0}
        >
          <span className="label">Trust mode</span>
          <span className={`mono${orch.trustThreshold <= INITIAL_TRUST ? ' text-warn' : ''}`}>≥ {orch.trustThreshold}</span>
        </div>
      )}
      <div className="topbar-spacer" />
      <div className="topbar-item">
        <span className="label">{transport === 'electron' ? 'Desktop' : 'Browser view'}</span>
        <StatePill state={status} />
      </div>
      {me && (
        <div className="topbar-item me" data-testid="me">
          <span className="avatar" aria-hidden="true">
            {me.name.slice(0, 1).toUpperCase()}
          </span>
          {me.name}
          <span className={`role role-${me.role}`}>{me.role}</span>
        </div>
      )}
    </header>
  );
}
