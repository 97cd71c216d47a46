// Renderer entry: Electron preload bridge if present, else the browser view over /panel.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { connectBrowser, connectElectron } from './api/connect.js';
import { enableSetupHints } from './api/setup-hints.js';
import { forgetToken, rememberToken, takeToken } from './api/token.js';
import { App } from './App.js';
import { LoginForm } from './components/LoginForm.js';
import { resetStores, usePanel } from './store/index.js';
import './styles.css';

enableSetupHints();

function BrowserRoot() {
  const [token, setToken] = useState<string | null>(() => takeToken());
  const error = usePanel((s) => s.connection.error);
  useEffect(() => {
    if (!token) return undefined;
    // A refused token goes back to the sign-in form, with the reason. The refusal comes from the
    // connection, outside React, so it is heard through the store, not through an effect on it.
    const unsubscribe = usePanel.subscribe((s) => {
      if (s.connection.status !== 'refused') return;
      forgetToken();
      setToken(null);
    });
    const disconnect = connectBrowser(token);
    return () => {
      unsubscribe();
      disconnect();
    };
  }, [token]);
  if (!token)
    return (
      <LoginForm
        error={error}
        onToken={(t) => {
          resetStores();
          rememberToken(t);
          setToken(t);
        }}
      />
    );
  return <App />;
}

function ElectronRoot() {
  useEffect(() => connectElectron(), []);
  return <App />;
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode>{window.vibesync ? <ElectronRoot /> : <BrowserRoot />}</StrictMode>);
