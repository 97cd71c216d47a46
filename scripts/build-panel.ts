// Builds the control panel: the React renderer with vite (→ dist/renderer) and the Electron
// main + preload bundles with esbuild (→ dist/electron/*.cjs, electron kept external).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, type BuildOptions } from 'esbuild';
import { build as viteBuild } from 'vite';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildPanelOptions {
  outDir?: string;
  quiet?: boolean;
}

export async function buildRenderer(outDir = join(repo, 'dist')): Promise<string> {
  const dir = join(outDir, 'renderer');
  await viteBuild({
    configFile: false,
    root: join(repo, 'renderer'),
    base: './',
    logLevel: 'warn',
    esbuild: { jsx: 'automatic' },
    build: {
      outDir: dir,
      emptyOutDir: true,
      sourcemap: true,
      target: 'chrome120',
      modulePreload: { polyfill: false },
      chunkSizeWarningLimit: 1024,
      // zod's sources carry esbuild-style PURE comments rollup cannot place; harmless, so not shown.
      rollupOptions: {
        onwarn(w, warn) {
          if (w.code !== 'INVALID_ANNOTATION') warn(w);
        },
      },
    },
  });
  return dir;
}

export async function buildElectron(outDir = join(repo, 'dist')): Promise<string[]> {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  };
  // ESM sources read import.meta.url; in the main bundle it becomes the bundle's own file URL.
  // (Not in the preload: a sandboxed preload may require nothing but electron.)
  const mainOnly: BuildOptions = {
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
  };
  const built: string[] = [];
  const entries: [string, string, BuildOptions][] = [
    ['electron/main/main.ts', 'main.cjs', mainOnly],
    ['electron/preload/index.ts', 'preload.cjs', {}],
    // The worker that decodes large frames (electron/core/offload/frame-decoder.ts finds it beside main.cjs).
    ['electron/core/offload/frame-worker.ts', 'frame-worker.cjs', mainOnly],
    // The blob digest worker (plain JavaScript), beside main.cjs where digest-pool.ts looks for it.
    ['electron/core/blobs/digest-worker.mjs', 'digest-worker.mjs', { format: 'esm' }],
    // The script sandbox's child process (its Python prelude inlined), beside main.cjs where sandbox.ts looks for it; Pyodide stays
    // in node_modules (its wasm and stdlib load from there, never from the network).
    ['electron/core/scripts/sandbox-worker.mjs', 'sandbox-worker.mjs', { format: 'esm', external: ['pyodide'] }],
  ];
  for (const [entry, name, extra] of entries) {
    if (!existsSync(join(repo, entry))) continue;
    const outfile = join(outDir, 'electron', name);
    await esbuild({ ...common, ...extra, entryPoints: [join(repo, entry)], outfile });
    built.push(outfile);
  }
  return built;
}

export async function buildPanel(opts: BuildPanelOptions = {}): Promise<{ renderer: string; electron: string[] }> {
  const renderer = await buildRenderer(opts.outDir);
  const electron = await buildElectron(opts.outDir);
  if (!opts.quiet) console.log(`panel built: ${renderer}${electron.length ? `, ${electron.join(', ')}` : ''}`);
  return { renderer, electron };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildPanel().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
