// Where the browser view's token comes from: the URL fragment `#token=…` (then removed from the
// address bar so it is not shared by copy-paste), else this tab's sessionStorage.
const KEY = 'vibesync.token';

export function takeToken(loc: Location = window.location, storage: Storage = window.sessionStorage): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(loc.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    storage.setItem(KEY, token);
    window.history.replaceState(null, '', loc.pathname + loc.search);
    return token;
  }
  return storage.getItem(KEY);
}

export const rememberToken = (token: string, storage: Storage = window.sessionStorage) => storage.setItem(KEY, token);
export const forgetToken = (storage: Storage = window.sessionStorage) => storage.removeItem(KEY);
