// The panel shell: top bar, navigation, PANIC banner above every screen, the screen, notices.
import { useEffect, type JSX } from 'react';
import { Notices } from './components/Notices.js';
import { PanicBanner } from './components/PanicBanner.js';
import { SideNav, screensFor } from './components/SideNav.js';
import { TopBar } from './components/TopBar.js';
import { AuditLog } from './screens/AuditLog.js';
import { Overrides } from './screens/Overrides.js';
import { Quarantine } from './screens/Quarantine.js';
import { ReviewQueue } from './screens/ReviewQueue.js';
import { SyncHealth } from './screens/SyncHealth.js';
import { usePanel, type Screen } from './store/index.js';

const SCREENS: Record<Screen, () => JSX.Element> = {
  health: SyncHealth,
  review: () => <ReviewQueue />,
  quarantine: Quarantine,
  overrides: Overrides,
  audit: () => <AuditLog />,
};

export function App() {
  const screen = usePanel((s) => s.screen);
  const setScreen = usePanel((s) => s.setScreen);
  const status = usePanel((s) => s.connection.status);
  const error = usePanel((s) => s.connection.error);
  const ready = usePanel((s) => s.orchestrator !== null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const order = screensFor(usePanel.getState().me?.role === 'lead');
      const target = e.altKey && !e.ctrlKey && !e.metaKey ? order[Number(e.key) - 1]?.screen : undefined;
      if (target) {
        e.preventDefault();
        setScreen(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setScreen]);

  const Current = SCREENS[screen];
  return (
    <div className="app">
      <TopBar />
      <div className="body">
        <SideNav />
        <main className="main">
          <PanicBanner />
          {status === 'reconnecting' && (
            <div className="inline-note warn" role="status">
              Connection to the orchestrator lost — reconnecting. The view below may be stale.
            </div>
          )}
          {ready ? (
            <Current />
          ) : (
            <div className="screen">
              <div className="loading" role="status">
                {status === 'refused' ? `Refused: ${error ?? 'unknown reason'}` : 'Connecting to the orchestrator…'}
              </div>
            </div>
          )}
        </main>
      </div>
      <Notices />
    </div>
  );
}
