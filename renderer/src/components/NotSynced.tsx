// What the scene's sources could not send as it is (armatures, curves, text, grease pencil,
// modifiers, collection instances): each object with a badge for its kind and the reason its
// source gave. Never silent: shown in Sync health whenever there is one.
import type { NotSyncedSummary } from '../../../shared/ipc/index.js';

const LABEL: Record<string, string> = {
  armature: 'armature',
  skinning: 'skinning',
  curve: 'curve',
  text: 'text',
  grease_pencil: 'grease pencil',
  modifiers: 'modifiers',
  instance: 'instance',
  bone_parent: 'bone parent',
  other: 'other',
};

export function NotSyncedList({ summary }: { summary: NotSyncedSummary }) {
  if (summary.total === 0) return null;
  return (
    <section data-testid="not-synced">
      <div className="section">
        Not synced <span className="pill pill-warn">{summary.total.toLocaleString()}</span>
      </div>
      <table className="grid">
        <thead>
          <tr>
            <th>Object</th>
            <th>Kind</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {summary.items.map((o) => (
            <tr key={o.id} data-testid={`not-synced-${o.id}`}>
              <td>
                <div className="cell-title">{o.name}</div>
                <div className="cell-sub mono">{o.id}</div>
              </td>
              <td>
                <span className="pill pill-warn" title="this object travels without this part; targets do not hold it">
                  {LABEL[o.kind] ?? o.kind}
                </span>
              </td>
              <td>{o.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.items.length < summary.total ? (
        <p className="muted">
          the first {summary.items.length.toLocaleString()} of {summary.total.toLocaleString()}, by id
        </p>
      ) : null}
    </section>
  );
}
