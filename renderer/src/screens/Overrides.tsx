// Overrides (lead only): emergency unlock, token reset, breaker reset, force resync, trust mode.
// Hidden from other roles; the core refuses them anyway (FORBIDDEN_ROLE). Each action needs a
// reason, which goes to the audit log.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EMERGENCY_ACK } from '../../../shared/ipc/contract.js';
import { INITIAL_TRUST, TRUST_ON_APPROVE, TRUST_ON_REJECT } from '../../../shared/ipc/trust.js';
import { Modal } from '../components/Modal.js';
import { useAction } from '../hooks/useAction.js';
import { usePanel } from '../store/index.js';

const REASON_MIN = 3;

function EngineAction({
  title,
  description,
  verb,
  engines,
  danger,
  act,
}: {
  title: string;
  description: string;
  verb: string;
  engines: string[];
  danger?: boolean;
  act(engine: string, reason: string): Promise<unknown>;
}) {
  const [engine, setEngine] = useState('');
  const [reason, setReason] = useState('');
  const chosen = engine || engines[0] || '';
  const ok = chosen !== '' && reason.trim().length >= REASON_MIN;
  const slug = title.toLowerCase().replace(/\W+/g, '-');
  return (
    <section className="card" data-testid={`override-${slug}`}>
      <h2>{title}</h2>
      <p className="muted">{description}</p>
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!ok) return;
          if ((await act(chosen, reason.trim())) !== undefined) setReason('');
        }}
      >
        <select value={chosen} onChange={(e) => setEngine(e.target.value)} aria-label={`${title}: engine`} disabled={!engines.length}>
          {engines.length === 0 && <option value="">no engine</option>}
          {engines.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="Reason"
          aria-label={`${title}: reason`}
          maxLength={500}
        />
        <button type="submit" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={!ok}>
          {verb}
        </button>
      </form>
    </section>
  );
}

function EmergencyUnlock({ panic }: { panic: boolean }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const { busy, run } = useAction();
  const notify = usePanel((s) => s.notify);
  const ok = typed === EMERGENCY_ACK && reason.trim().length >= REASON_MIN;
  const close = () => {
    setOpen(false);
    setTyped('');
    setReason('');
  };
  const submit = async () => {
    const res = await run('Emergency unlock', (api) => api.emergencyUnlock({ acknowledge: EMERGENCY_ACK, reason: reason.trim() }));
    if (res) {
      const n = res.unlocked.length;
      notify(
        'ok',
        `Emergency unlock: PANIC cleared; ${n ? `${n.toLocaleString()} LOCKED object${n > 1 ? 's' : ''} opened (${res.unlocked.slice(0, 5).join(', ')}${n > 5 ? ', …' : ''})` : 'no object was LOCKED'}.`,
      );
      close();
    }
  };
  return (
    <section className="card card-danger" data-testid="override-emergency-unlock">
      <h2>Emergency unlock</h2>
      <p>
        Forces every locked engine hierarchy open during a PANIC. <strong>This may permanently lose scene state</strong>: changes the
        orchestrator could not verify are kept as they are, and the last known good snapshot may no longer match.
      </p>
      <button className="btn btn-danger" onClick={() => setOpen(true)}>
        {panic ? 'Emergency unlock…' : 'Emergency unlock… (no PANIC now)'}
      </button>
      {open && (
        <Modal title="Emergency unlock" tone="danger" onClose={close}>
          <p>
            Unlocking acknowledges that <strong>scene state may be permanently lost</strong>. To confirm, type it out (pasting is disabled):
          </p>
          <pre className="ack">{EMERGENCY_ACK}</pre>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (ok && !busy) void submit();
            }}
          >
            <label className="field">
              <span>Confirmation</span>
              <input
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                aria-label="Type the confirmation"
                autoComplete="off"
                spellCheck={false}
                onPaste={(e) => e.preventDefault()}
                onDrop={(e) => e.preventDefault()}
              />
            </label>
            <label className="field">
              <span>Reason</span>
              <input value={reason} onChange={(e) => setReason(e.target.value)} aria-label="Unlock reason" maxLength={500} />
            </label>
            {!ok && (
              <p className="hint" id="unlock-hint" data-testid="unlock-hint">
                {[
                  typed !== EMERGENCY_ACK && 'type the confirmation exactly as shown',
                  reason.trim().length < REASON_MIN && `give a reason of at least ${REASON_MIN} characters`,
                ]
                  .filter(Boolean)
                  .join(' and ')
                  .replace(/^./, (c) => c.toUpperCase())}{' '}
                to unlock.
              </p>
            )}
            <div className="actions">
              <button type="button" className="btn" onClick={close}>
                Cancel
              </button>
              <button type="submit" className="btn btn-danger" disabled={!ok || busy} aria-describedby={ok ? undefined : 'unlock-hint'}>
                Unlock and accept the risk
              </button>
            </div>
          </form>
        </Modal>
      )}
    </section>
  );
}

/**
 * Trust mode: a threshold at or below a new agent's starting trust auto-approves every agent that
 * connects from its first proposal, so it is said before Apply and confirmed in a dialog after it.
 */
function TrustThreshold({ current }: { current: number }) {
  const [value, setValue] = useState(current);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { busy, run } = useAction();
  const notify = usePanel((s) => s.notify);
  const agents = usePanel(
    useShallow((s) => s.engines.filter((e) => e.roles.includes('agent') && e.trust >= value).map((e) => `${e.name} (${e.trust})`)),
  );
  const ok = value !== current && reason.trim().length >= REASON_MIN;
  const lax = value <= INITIAL_TRUST;
  const apply = async () => {
    const res = await run('Trust threshold', (api) => api.setTrustThreshold({ value, reason: reason.trim() }));
    if (res) {
      notify('ok', `Trust threshold set to ${res.value}`);
      setReason('');
      setConfirming(false);
    }
  };
  return (
    <section className="card" data-testid="override-trust-mode">
      <h2>Trust mode</h2>
      <p className="muted">
        Agents whose trust score is at or above the threshold are auto-approved (never scripts with scanner findings). New agents start at{' '}
        {INITIAL_TRUST}; each human approval adds {TRUST_ON_APPROVE}, each rejection takes {-TRUST_ON_REJECT}, and automatic approvals earn
        nothing. 100 turns trust mode off in practice. Now: <b className="mono">{current}</b>.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!ok) return;
          if (lax) setConfirming(true);
          else void apply();
        }}
      >
        <input
          type="range"
          min={0}
          max={100}
          value={value}
          onChange={(e) => setValue(Number(e.target.value))}
          aria-label="Trust threshold"
        />
        <span className="mono threshold">{value}</span>
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="Reason"
          aria-label="Trust threshold: reason"
          maxLength={500}
        />
        <button type="submit" className={`btn ${lax ? 'btn-danger' : 'btn-primary'}`} disabled={!ok}>
          {lax ? 'Apply…' : 'Apply'}
        </button>
      </form>
      {lax && (
        <p className="hint" data-testid="trust-warning">
          At {value}, every new agent (trust {INITIAL_TRUST}) is auto-approved from its first proposal: its edits reach the engines with no
          human review.{agents.length > 0 && ` Connected agents auto-approved at once: ${agents.join(', ')}.`}
        </p>
      )}
      {confirming && (
        <Modal title="Auto-approve new agents?" tone="danger" onClose={() => setConfirming(false)}>
          <p>
            Trust mode ≥ <b className="mono">{value}</b> is at or below the trust every new agent starts with ({INITIAL_TRUST}).{' '}
            <strong>Any agent that connects will have its proposals applied without a human reviewer</strong>, until you raise the threshold
            again. Scripts with scanner findings and changes on DIRTY or LOCKED branches still wait.
          </p>
          {agents.length > 0 && <p>Connected agents auto-approved at once: {agents.join(', ')}.</p>}
          <div className="actions">
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void apply()}>
              Auto-approve new agents
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}

/** The size above which a bulk approve / reject asks for confirmation (kept in this panel's browser storage). */
function BulkConfirmLimit() {
  const limit = usePanel((s) => s.bulkConfirmAbove);
  const setLimit = usePanel((s) => s.setBulkConfirmAbove);
  const notify = usePanel((s) => s.notify);
  const [value, setValue] = useState(String(limit));
  const n = Number(value);
  const valid = Number.isInteger(n) && n >= 1;
  return (
    <section className="card" data-testid="override-bulk-limit">
      <h2>Bulk confirmation</h2>
      <p>Approving or rejecting more than this many mutations at once asks for confirmation first, naming the agents.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!valid) return;
          setLimit(n);
          notify('ok', `Bulk decisions above ${n.toLocaleString()} now ask for confirmation`);
        }}
      >
        <label className="field">
          <span>Confirm above</span>
          <input
            type="number"
            min={1}
            step={1}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-label="Confirm bulk decisions above"
          />
        </label>
        {!valid && <p className="hint">A whole number of at least 1.</p>}
        <button type="submit" className="btn" disabled={!valid}>
          Save
        </button>
      </form>
    </section>
  );
}

export function Overrides() {
  const role = usePanel((s) => s.me?.role);
  const engines = usePanel(useShallow((s) => s.engines.map((e) => e.name)));
  const openBreakers = usePanel(useShallow((s) => s.engines.filter((e) => e.breaker === 'open').map((e) => e.name)));
  const panicking = usePanel(useShallow((s) => s.engines.filter((e) => e.state === 'PANIC').map((e) => e.name)));
  // An agent's own PANIC halts only that agent: its token reset clears it, emergency unlock does not.
  const enginePanic = usePanel((s) => s.engines.some((e) => e.state === 'PANIC' && e.panic?.scope !== 'agent'));
  const orch = usePanel((s) => s.orchestrator);
  const notify = usePanel((s) => s.notify);
  const { run } = useAction();
  const [secret, setSecret] = useState<{ engine: string; token: string } | null>(null);

  if (role !== 'lead') {
    return (
      <div className="screen">
        <div className="inline-note">
          Overrides need the lead role. Signed in as <b>{role ?? 'nobody'}</b>.
        </div>
      </div>
    );
  }
  const tokenEngines = [...new Set([...panicking, ...engines])];
  return (
    <div className="screen" data-testid="screen-overrides">
      <div className="screen-head">
        <h1>Overrides</h1>
        <span className="muted">Lead only · every action is audited with its reason</span>
      </div>
      <div className="cards">
        <EmergencyUnlock panic={orch?.state === 'PANIC' || enginePanic} />
        <BulkConfirmLimit />
        <EngineAction
          title="Token reset"
          verb="Reset token"
          danger
          engines={tokenEngines}
          description="Revokes the engine's or AI agent's token and issues a new one; required to leave PANIC (a quarantined agent's manual reset). The new token is shown once."
          act={(engine, reason) =>
            run('Token reset', async (api) => {
              const r = await api.resetToken({ engine, reason });
              setSecret(r);
              return r;
            })
          }
        />
        <EngineAction
          title="Circuit breaker reset"
          verb="Close breaker"
          engines={openBreakers.length ? openBreakers : engines}
          description="Closes an open breaker after a deadlock (heartbeat timeout) so mutations flow to the engine again."
          act={(engine, reason) =>
            run('Breaker reset', async (api) => {
              const r = await api.resetBreaker({ engine, reason });
              notify('ok', `Breaker closed for ${r.engine}`);
              return r;
            })
          }
        />
        <EngineAction
          title="Force resync"
          verb="Resync"
          engines={engines}
          description="Pushes the last known good snapshot to the engine (Brain > Limb); local changes there are overwritten."
          act={(engine, reason) =>
            run('Force resync', async (api) => {
              const r = await api.forceResync({ engine, reason });
              notify('ok', `Resync sent to ${r.engine}`);
              return r;
            })
          }
        />
        <TrustThreshold key={orch?.trustThreshold} current={orch?.trustThreshold ?? 100} />
      </div>
      {secret && (
        <Modal title={`New token for ${secret.engine}`} onClose={() => setSecret(null)}>
          <p>
            Copy it now: it is shown <strong>once</strong> and cannot be retrieved later. Paste it into the engine's add-on and reconnect.
          </p>
          <pre className="secret" data-testid="new-token">
            {secret.token}
          </pre>
          <div className="actions">
            <button
              className="btn"
              onClick={() =>
                void navigator.clipboard?.writeText(secret.token).then(
                  () => notify('ok', 'Token copied'),
                  () => notify('error', 'Copy failed: select the token and copy it by hand'),
                )
              }
            >
              Copy
            </button>
            <button className="btn btn-primary" onClick={() => setSecret(null)}>
              I have stored it
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
