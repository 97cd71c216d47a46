// Empty states that tell a newcomer what to do next.
import type { ReactNode } from 'react';
import { tokenIssueCommand } from '../../../shared/ipc/index.js';
import { useSetupHints } from '../api/setup-hints.js';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" data-testid="empty-state">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** `vibesync token issue` exactly as it must be typed for the running orchestrator. */
export function TokenIssueCode({ role, name }: { role: string; name: string }) {
  const hints = useSetupHints();
  return <code>{tokenIssueCommand(hints, role, name)}</code>;
}

/** How to connect the first engine: shown on Sync health while no engine is connected. */
export function ConnectEngineHelp() {
  const hints = useSetupHints();
  const url =
    typeof window !== 'undefined' && window.location.protocol.startsWith('http')
      ? `ws://${window.location.host}/adapter`
      : 'ws://127.0.0.1:7420/adapter';
  return (
    <EmptyState title="No engine connected yet">
      <p>The orchestrator is running and waiting for engines. To connect Blender:</p>
      <ol className="steps">
        <li>
          Issue an adapter token on the machine running the orchestrator:
          <pre data-testid="adapter-token-command">{tokenIssueCommand(hints, 'adapter', 'blender')}</pre>
        </li>
        <li>
          Build the Blender add-on zip:
          <pre data-testid="blender-build-command">{hints.blenderBuild}</pre>
        </li>
        <li>
          In Blender, <em>Edit → Preferences → Add-ons → Install…</em> (4.2+: <em>Install from Disk</em>) and pick{' '}
          <code data-testid="blender-zip">{hints.blenderZip}</code>, then enable <em>VibeSync</em>.
        </li>
        <li>
          In the add-on panel (<em>N</em> sidebar → VibeSync) set the adapter URL to <code>{url}</code>, paste the token and press{' '}
          <em>Connect</em>.
        </li>
      </ol>
      <p className="muted">
        Unity and Godot connect the same way with their own add-ons. The engine appears here as soon as its handshake succeeds.
      </p>
    </EmptyState>
  );
}
