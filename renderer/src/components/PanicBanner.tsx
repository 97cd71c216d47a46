// The PANIC banner: shown above every screen while any PANIC lasts. Names the failure, whom it
// concerns (an engine, or an AI agent whose PANIC halts only that agent), its cause and the action a
// person must take; leads get a direct way to the overrides.
import { usePanics } from '../hooks/usePanic.js';
import { clockTime } from '../format.js';
import { usePanel } from '../store/index.js';

export function PanicBanner() {
  const panics = usePanics();
  const isLead = usePanel((s) => s.me?.role === 'lead');
  const setScreen = usePanel((s) => s.setScreen);
  // One source of truth: the same count Sync health, Quarantine and emergency unlock use.
  const locked = usePanel((s) => s.objects.counts.LOCKED);
  if (panics.length === 0) return null;
  const halted = panics.some((p) => p.scope !== 'agent');
  return (
    <section className="panic" role="alert" aria-live="assertive" data-testid="panic-banner">
      <div className="panic-stripe" aria-hidden="true" />
      <div className="panic-body">
        {panics.map((p) => (
          <div className="panic-item" key={`${p.failure}|${p.engine ?? ''}|${p.at}`}>
            <div className="panic-title">
              <span className="panic-tag">PANIC</span>
              <strong data-testid="panic-failure">{p.failure}</strong>
              {p.engine && p.scope === 'agent' ? (
                <span className="panic-engine" data-testid="panic-agent">
                  agent <code>{p.engine}</code> quarantined, token revoked · sync between engines goes on
                </span>
              ) : (
                p.engine && (
                  <span className="panic-engine">
                    engine <code>{p.engine}</code>
                  </span>
                )
              )}
              <span className="panic-at">since {clockTime(p.at)}</span>
            </div>
            <dl className="panic-grid">
              <dt>Cause</dt>
              <dd data-testid="panic-cause">{p.cause}</dd>
              <dt>Action required</dt>
              <dd data-testid="panic-action">{p.action}</dd>
            </dl>
          </div>
        ))}
        <p className="panic-locked" data-testid="panic-locked">
          {locked === 0
            ? 'No object is LOCKED now.'
            : `${locked.toLocaleString()} object${locked > 1 ? 's are' : ' is'} LOCKED now (listed in Quarantine).`}
        </p>
      </div>
      {isLead ? (
        <button className="btn btn-danger-outline" onClick={() => setScreen('overrides')}>
          Open overrides
        </button>
      ) : (
        <span className="panic-who">
          {halted
            ? 'A lead must act. Mutations are halted until then.'
            : "A lead must reset the agent's token. Engines keep syncing; only the agent is halted."}
        </span>
      )}
    </section>
  );
}
