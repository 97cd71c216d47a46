// Screen navigation with live counts; Overrides is shown to leads only (the core refuses others anyway).
import { usePanel, type Screen } from '../store/index.js';

const ITEMS: { screen: Screen; label: string }[] = [
  { screen: 'health', label: 'Sync health' },
  { screen: 'review', label: 'Review queue' },
  { screen: 'quarantine', label: 'Quarantine' },
  { screen: 'overrides', label: 'Overrides' },
  { screen: 'audit', label: 'Audit log' },
];

/** The screens a person sees, in sidebar order: Alt+1… follow this order, so the keys match the sidebar for every role. */
export function screensFor(isLead: boolean): { screen: Screen; label: string; key: string }[] {
  return ITEMS.filter((i) => i.screen !== 'overrides' || isLead).map((i, n) => ({ ...i, key: String(n + 1) }));
}

export function SideNav() {
  const screen = usePanel((s) => s.screen);
  const setScreen = usePanel((s) => s.setScreen);
  const pending = usePanel((s) => s.pending.length);
  const quarantined = usePanel((s) => s.engines.filter((e) => e.state === 'QUARANTINED').length + s.objects.counts.DIRTY);
  const isLead = usePanel((s) => s.me?.role === 'lead');
  const counts: Partial<Record<Screen, number>> = { review: pending, quarantine: quarantined };
  const items = screensFor(isLead);
  return (
    <nav className="sidenav" aria-label="Screens">
      {items.map((i) => (
        <button
          key={i.screen}
          className={`nav-item${screen === i.screen ? ' active' : ''}`}
          aria-current={screen === i.screen ? 'page' : undefined}
          onClick={() => setScreen(i.screen)}
          title={`Alt+${i.key}`}
          aria-keyshortcuts={`Alt+${i.key}`}
        >
          <span>{i.label}</span>
          {counts[i.screen] ? (
            <span className="count" data-testid={`count-${i.screen}`}>
              {counts[i.screen]!.toLocaleString()}
            </span>
          ) : null}
        </button>
      ))}
      <div className="sidenav-foot muted">Alt+1…{items.length} switch screens</div>
    </nav>
  );
}
