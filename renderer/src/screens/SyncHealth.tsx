// Sync health: every engine live (state, generation, heartbeat age, latency, throughput, breaker,
// trust) and the orchestrator at a glance.
import { useShallow } from 'zustand/react/shallow';
import { ConnectEngineHelp } from '../components/EmptyState.js';
import { NotSyncedList } from '../components/NotSynced.js';
import { Sparkline } from '../components/Sparkline.js';
import { StatePill } from '../components/StatePill.js';
import { age, latency, rate } from '../format.js';
import { useOrchestratorNow } from '../hooks/useOrchestratorNow.js';
import { usePanel } from '../store/index.js';

function Stat({ label, value, tone, testId }: { label: string; value: string | number; tone?: string; testId?: string }) {
  return (
    <div className={`stat${tone ? ` stat-${tone}` : ''}`} data-testid={testId}>
      <div className="stat-value">{typeof value === 'number' ? value.toLocaleString() : value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

/**
 * The rate of the last complete second: the newest point is the second still filling, so showing it
 * would flicker (0 → 250/s at a steady 300/s).
 */
export const lastFullSecond = (points: number[]) => (points.length >= 2 ? points[points.length - 2]! : 0);

export function SyncHealth() {
  const engines = usePanel(useShallow((s) => s.engines));
  const counts = usePanel((s) => s.objects.counts);
  const notSynced = usePanel((s) => s.objects.notSynced);
  const pending = usePanel((s) => s.pending.length);
  const orch = usePanel((s) => s.orchestrator);
  const now = useOrchestratorNow(1000);
  // An engine in PANIC takes no mutations until a lead acts: it is connected, but not live.
  const live = engines.filter((e) => e.state !== 'DISCONNECTED' && e.state !== 'PANIC').length;
  const total = engines.reduce((n, e) => n + lastFullSecond(e.throughput), 0);
  const objects = counts.CLEAN + counts.PENDING + counts.DIRTY + counts.LOCKED;

  return (
    <div className="screen" data-testid="screen-health">
      <div className="screen-head">
        <h1>Sync health</h1>
        <span className="muted">{orch ? `up ${age(now - orch.startedAt)} · v${orch.version}` : ''}</span>
      </div>
      <div className="stats">
        <Stat
          label="Orchestrator"
          value={orch?.state ?? '—'}
          tone={orch?.state === 'PANIC' ? 'bad' : orch?.state === 'REPLAYING' ? 'info' : 'ok'}
        />
        <Stat label="Engines live" value={`${live} / ${engines.length}`} testId="engines-live" />
        <Stat label="Throughput" value={rate(total)} />
        <Stat label="Pending review" value={pending} tone={pending ? 'info' : undefined} />
        <Stat label={`Clean of ${objects.toLocaleString()} objects`} value={counts.CLEAN} testId="count-clean" />
        <Stat label="Pending objects" value={counts.PENDING} tone={counts.PENDING ? 'info' : undefined} testId="count-pending" />
        <Stat label="Dirty" value={counts.DIRTY} tone={counts.DIRTY ? 'warn' : undefined} testId="count-dirty" />
        <Stat label="Locked" value={counts.LOCKED} tone={counts.LOCKED ? 'warn' : undefined} testId="count-locked" />
        {notSynced?.total ? <Stat label="Not synced" value={notSynced.total} tone="warn" testId="count-not-synced" /> : null}
      </div>
      {engines.length === 0 ? (
        <ConnectEngineHelp />
      ) : (
        <table className="grid" data-testid="engines-table">
          <thead>
            <tr>
              <th>Engine</th>
              <th>State</th>
              <th className="num">Gen</th>
              <th className="num">Heartbeat</th>
              <th className="num">Latency</th>
              <th>Throughput (60 s)</th>
              <th>Breaker</th>
              <th className="num">Trust</th>
            </tr>
          </thead>
          <tbody>
            {engines.map((e) => {
              const hb = e.lastHeartbeatAt === null ? null : now - e.lastHeartbeatAt;
              return (
                <tr key={e.name} data-testid={`engine-${e.name}`}>
                  <td>
                    <div className="cell-title">{e.name}</div>
                    <div className="cell-sub">
                      {e.kind} {e.version} · {e.roles.join(', ')}
                    </div>
                    {e.cannotHold ? (
                      <div className="cell-sub text-warn" role="status" data-testid={`cannot-hold-${e.name}`}>
                        Does not hold all of the scene: {e.cannotHold.message}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <StatePill state={e.state} />
                  </td>
                  <td className="num mono">{e.generation}</td>
                  <td className={`num mono${hb !== null && hb > 5000 ? ' text-warn' : ''}`}>
                    {hb !== null && hb < 1000 ? '< 1 s' : age(hb)}
                  </td>
                  <td className="num mono">{latency(e.latencyMs)}</td>
                  <td>
                    <div className="spark-cell">
                      <Sparkline points={e.throughput} label={`${e.name} throughput`} />
                      <span className="mono" title="last complete second">
                        {rate(lastFullSecond(e.throughput))}
                      </span>
                    </div>
                  </td>
                  <td>
                    <StatePill
                      state={e.breaker}
                      title={e.breaker === 'open' ? 'Circuit breaker open: mutations to this engine are halted' : 'Circuit breaker closed'}
                    />
                  </td>
                  <td className="num">
                    <TrustBar value={e.trust} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {notSynced ? <NotSyncedList summary={notSynced} /> : null}
    </div>
  );
}

export function TrustBar({ value }: { value: number }) {
  const tone = value >= 70 ? 'ok' : value >= 40 ? 'warn' : 'bad';
  return (
    <span className="trust" title={`trust ${value} / 100`}>
      <span className="trust-track">
        <span className={`trust-fill trust-${tone}`} style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
      </span>
      <span className="mono">{value}</span>
    </span>
  );
}
