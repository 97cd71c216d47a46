// Renderer entry: Electron preload bridge if present, else the browser view over /panel.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { connectBrowser, connectElectron } from './api/connect.js';
import { forgetToken, rememberToken, takeToken } from './api/token.js';
import { App } from './App.js';
import { LoginForm } from './components/LoginForm.js';
import { resetStores, usePanel } from './store/index.js';
import './styles.css';

function BrowserRoot() {
  const [token, setToken] = useState<string | null>(() => takeToken());
  const status = usePanel((s) => s.connection.status);
  const error = usePanel((s) => s.connection.error);
  useEffect(() => (token ? connectBrowser(token) : undefined), [token]);
  useEffect(() => {
    // A refused token goes back to the sign-in form, with the reason.
    if (status === 'refused' && token) {
      forgetToken();
      setToken(null);
    }
  }, [status, token]);
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
