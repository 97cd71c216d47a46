// Browser view sign-in: a panel token (viewer / reviewer / lead) issued by the orchestrator's CLI.
import { useState } from 'react';
import { tokenIssueCommand } from '../../../shared/ipc/index.js';
import { useSetupHints } from '../api/setup-hints.js';

export function LoginForm({ onToken, error }: { onToken(token: string): void; error: string | null }) {
  const [token, setToken] = useState('');
  const hints = useSetupHints();
  return (
    <div className="login">
      <form
        className="card login-card"
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) onToken(token.trim());
        }}
      >
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          VibeSync
        </div>
        <h1>Sign in to the control panel</h1>
        <p className="muted">
          Paste a panel token. A lead issues one, on the machine running the orchestrator, with
          <br />
          <code data-testid="token-issue-command">{tokenIssueCommand(hints, 'viewer', 'your-name')}</code>
          <br />
          (or <code>reviewer</code> / <code>lead</code>).
        </p>
        {error && (
          <p className="login-error" role="alert">
            Sign-in refused — {error}
          </p>
        )}
        <label className="field">
          <span>Token</span>
          <input type="password" value={token} onChange={(e) => setToken(e.target.value)} aria-label="Token" autoComplete="off" autoFocus />
        </label>
        <button type="submit" className="btn btn-primary" disabled={!token.trim()}>
          Connect
        </button>
      </form>
    </div>
  );
}
