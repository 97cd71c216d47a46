// Screen navigation with live counts; Overrides is shown to leads only (the core refuses others anyway).
import { usePanel, type Screen } from '../store/index.js';

const ITEMS: { screen: Screen; label: string; key: string }[] = [
  { screen: 'health', label: 'Sync health', key: '1' },
  { screen: 'review', label: 'Review queue', key: '2' },
  { screen: 'quarantine', label: 'Quarantine', key: '3' },
  { screen: 'overrides', label: 'Overrides', key: '4' },
  { screen: 'audit', label: 'Audit log', key: '5' },
];

export function SideNav() {
  const screen = usePanel((s) => s.screen);
  const setScreen = usePanel((s) => s.setScreen);
  const pending = usePanel((s) => s.pending.length);
  const quarantined = usePanel((s) => s.engines.filter((e) => e.state === 'QUARANTINED').length + s.objects.counts.DIRTY);
  const isLead = usePanel((s) => s.me?.role === 'lead');
  const counts: Partial<Record<Screen, number>> = { review: pending, quarantine: quarantined };
  return (
    <nav className="sidenav" aria-label="Screens">
      {ITEMS.filter((i) => i.screen !== 'overrides' || isLead).map((i) => (
        <button
          key={i.screen}
          className={`nav-item${screen === i.screen ? ' active' : ''}`}
          aria-current={screen === i.screen ? 'page' : undefined}
          onClick={() => setScreen(i.screen)}
          title={`Alt+${i.key}`}
        >
          <span>{i.label}</span>
          {counts[i.screen] ? (
            <span className="count" data-testid={`count-${i.screen}`}>
              {counts[i.screen]!.toLocaleString()}
            </span>
          ) : null}
        </button>
      ))}
      <div className="sidenav-foot muted">Alt+1…5 switch screens</div>
    </nav>
  );
}
