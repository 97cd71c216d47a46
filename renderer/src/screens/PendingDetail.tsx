// The detail pane of the review queue: what the cursor's mutation would change, and who asks.
import type { PendingView } from '../../../shared/ipc/index.js';
import { ScriptView } from '../components/ScriptView.js';
import { ChangeTable } from '../components/ValueDiff.js';
import { age, editKind, subjectLabel } from '../format.js';
import { TrustBar } from './SyncHealth.js';
import { useLiveTrust } from '../hooks/useLiveTrust.js';
import { usePanel } from '../store/index.js';

export function PendingDetail({ item, now }: { item: PendingView; now: number }) {
  const trustOf = useLiveTrust();
  // Proposals an agent made before its PANIC stay for a reviewer; the reviewer should know.
  const agentPanic = usePanel((s) => s.engines.find((e) => e.name === item.agent)?.panic?.failure ?? null);
  return (
    <article className="detail" data-testid="pending-detail" aria-label={`Mutation ${item.pid}`}>
      <header className="detail-head">
        <div>
          <div className="detail-title">
            <span className={`kind kind-${editKind(item)}`}>{editKind(item)}</span> {subjectLabel(item)}
          </div>
          <div className="cell-sub mono">
            {item.pid} · {age(now - item.createdAt)} ago
          </div>
        </div>
        <div className="detail-agent">
          <span className="label">Agent</span> {item.agent} <TrustBar value={trustOf(item)} />
        </div>
      </header>
      {agentPanic && (
        <p className="inline-note warn" data-testid="agent-panic-note">
          {item.agent} is in PANIC ({agentPanic}): quarantined and its token revoked. This proposal was made before; judge it with that in
          mind.
        </p>
      )}
      <dl className="kv">
        <dt>Rationale</dt>
        <dd>{item.rationale || <span className="muted">none given</span>}</dd>
        <dt>Targets</dt>
        <dd>
          {item.targets.map((t) => (
            <code key={t} className="tag">
              {t}
            </code>
          ))}
        </dd>
      </dl>
      {item.kind === 'script' && item.script ? (
        <>
          {item.script.notice && (
            <p className="text-warn" role="alert" data-testid="script-notice">
              {item.script.notice}
            </p>
          )}
          {item.changes.length > 0 ? <ChangeTable changes={item.changes} /> : <p className="muted">The script changes nothing.</p>}
          {item.script.output ? <pre className="script-output mono">{item.script.output}</pre> : null}
          <ScriptView code={item.script.code} findings={item.script.findings} />
        </>
      ) : (
        <ChangeTable changes={item.changes} />
      )}
    </article>
  );
}
