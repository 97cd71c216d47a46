// An AI script with the scanner's findings marked on their lines (blocking in red, warnings amber).
import type { ScanFinding } from '../../../shared/ipc/index.js';

export function ScriptView({ code, findings }: { code: string; findings: ScanFinding[] }) {
  const byLine = new Map<number, ScanFinding[]>();
  for (const f of findings) byLine.set(f.line, [...(byLine.get(f.line) ?? []), f]);
  const blocked = findings.some((f) => f.severity === 'block');
  return (
    <div className="script" data-testid="script-view">
      <div className={`script-summary ${blocked ? 'text-bad' : findings.length ? 'text-warn' : 'muted'}`}>
        {findings.length === 0
          ? 'Scanner: no findings.'
          : `Scanner: ${findings.length} finding${findings.length > 1 ? 's' : ''}${blocked ? ' — contains blocked patterns; approval will be refused' : ''}.`}
      </div>
      <pre className="code">
        {code.split('\n').map((text, i) => {
          const hits = byLine.get(i + 1);
          const sev = hits?.some((f) => f.severity === 'block') ? 'block' : hits ? 'warn' : '';
          return (
            <div key={i} className={`code-line${sev ? ` finding-${sev}` : ''}`} data-finding={sev || undefined}>
              <span className="ln">{i + 1}</span>
              <span className="code-text">{text || ' '}</span>
              {hits && <span className="finding-note">{hits.map((f) => `${f.rule}: ${f.message}`).join(' · ')}</span>}
            </div>
          );
        })}
      </pre>
    </div>
  );
}
