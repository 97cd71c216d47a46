// Serves the built renderer (dist/renderer) to the browser view. Only files found by walking the
// build folder are served — request paths are looked up in that map, never joined onto the disk
// path — so no request can reach outside it. Every response carries the panel's CSP.
import { readdirSync, readFile } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';

/** The renderer's Content-Security-Policy (browser view header; Electron sets the same). */
export const PANEL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const SECURITY_HEADERS = {
  'Content-Security-Policy': PANEL_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

function walk(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) visit(abs);
      else if (e.isFile()) files.set('/' + relative(root, abs).split(sep).join('/'), abs);
    }
  };
  visit(root);
  return files;
}

export interface StaticFiles {
  /** Answers GET/HEAD for a file of the build; `false` when the path is not one. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  readonly available: boolean;
}

/** `rescanAfterMs` lets a rebuild (new hashed asset names) be picked up without a restart. */
export function createStaticFiles(root: string, rescanAfterMs = 2000, now: () => number = Date.now): StaticFiles {
  let files = walk(root);
  let scannedAt = now();
  const lookup = (path: string) => {
    let abs = files.get(path);
    if (!abs && now() - scannedAt > rescanAfterMs) {
      files = walk(root);
      scannedAt = now();
      abs = files.get(path);
    }
    return abs;
  };
  return {
    get available() {
      return files.has('/index.html');
    },
    handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      let path: string;
      try {
        path = decodeURIComponent(new URL(req.url ?? '/', 'http://panel.invalid').pathname);
      } catch {
        return false;
      }
      if (path === '/') path = '/index.html';
      const abs = lookup(path);
      if (!abs) return false;
      readFile(abs, (err, body) => {
        if (err) {
          res.writeHead(404, SECURITY_HEADERS).end();
          return;
        }
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': TYPES[extname(abs)] ?? 'application/octet-stream',
          'Content-Length': body.length,
          'Cache-Control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
      return true;
    },
  };
}
