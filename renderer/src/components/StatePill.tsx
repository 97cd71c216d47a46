// One coloured pill per state word, so the same state always looks the same everywhere.
const TONE: Record<string, string> = {
  RUNNING: 'ok',
  HEALTHY: 'ok',
  CLEAN: 'ok',
  closed: 'ok',
  live: 'ok',
  BUSY: 'info',
  HANDSHAKEN: 'info',
  CONNECTING: 'info',
  REPLAYING: 'info',
  connecting: 'info',
  PENDING: 'info',
  DEGRADED: 'warn',
  QUARANTINED: 'warn',
  DIRTY: 'warn',
  open: 'warn',
  reconnecting: 'warn',
  LOCKED: 'warn',
  PANIC: 'bad',
  refused: 'bad',
  DISCONNECTED: 'muted',
  idle: 'muted',
};

export function StatePill({ state, title }: { state: string; title?: string }) {
  return (
    <span className={`pill pill-${TONE[state] ?? 'muted'}`} title={title}>
      {state}
    </span>
  );
}
