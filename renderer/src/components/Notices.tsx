// Transient notices (action failures and confirmations), bottom-right, dismissable.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePanel } from '../store/index.js';

export function Notices() {
  const notices = usePanel(useShallow((s) => s.notices));
  const dismiss = usePanel((s) => s.dismiss);
  // Confirmations fade after a few seconds; errors stay until dismissed, so none is missed.
  useEffect(() => {
    const timers = notices.filter((n) => n.tone === 'ok').map((n) => setTimeout(() => dismiss(n.id), 5000));
    return () => timers.forEach(clearTimeout);
  }, [notices, dismiss]);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.tone}`} role={n.tone === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button className="icon-btn" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
