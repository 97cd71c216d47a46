#!/usr/bin/env node
// Python lint for `npm run lint`: ruff, compiled to wasm (@astral-sh/ruff-wasm-nodejs: ruff is not
// in Debian and PyPI is out of reach), over every .py file in the repo, or the files and folders
// given, with the rules of the checked-in ruff.toml (which ruff itself reads too, in an editor).
// Prints what ruff prints (path:row:col: CODE message) and exits 1 on any diagnostic.
//   node scripts/ruff.mjs [PATH...]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { PositionEncoding, Workspace } from '@astral-sh/ruff-wasm-nodejs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = join(REPO, 'ruff.toml');
// ruff's own default exclusions that can occur here; the config's `exclude`/`extend-exclude` add to them
const DEFAULT_EXCLUDE = ['.git', '.venv', 'venv', '__pycache__', '.ruff_cache', '.mypy_cache', 'node_modules', 'dist', 'site-packages'];
// file selection is this script's work (the wasm build checks text, it does not walk folders)
const SELECTION = ['exclude', 'extend-exclude'];

/** The TOML that ruff.toml needs: [tables], dotted keys, strings, numbers, booleans, arrays. Refuses the rest. */
export function parseToml(text, file = 'ruff.toml') {
  const root = {};
  let table = root;
  const lines = text.split('\n');
  const uncomment = (line) => line.replace(/("(?:[^"\\]|\\.)*"|'[^']*')|#.*$/g, (_m, str) => str ?? '').trim();
  for (let i = 0; i < lines.length; i++) {
    const at = i + 1;
    const line = uncomment(lines[i]);
    if (!line) continue;
    const header = /^\[([A-Za-z0-9_.-]+)\]$/.exec(line);
    if (header) {
      table = header[1].split('.').reduce((t, k) => (t[k] ??= {}), root);
      continue;
    }
    const pair = /^([A-Za-z0-9_.-]+)\s*=\s*(.+)$/.exec(line);
    if (!pair) throw new Error(`${file}:${at}: not understood (scripts/ruff.mjs reads tables, keys, strings, numbers, arrays)`);
    let value = pair[2];
    const depth = (s) => {
      const bare = s.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, '');
      return (bare.match(/\[/g) ?? []).length - (bare.match(/\]/g) ?? []).length;
    };
    while (depth(value) > 0 && i + 1 < lines.length) value += ' ' + uncomment(lines[++i]);
    const json = value.replace(/'([^']*)'/g, (_m, s) => JSON.stringify(s)).replace(/,\s*\]/g, ']');
    const keys = pair[1].split('.');
    const parent = keys.slice(0, -1).reduce((t, k) => (t[k] ??= {}), table);
    try {
      parent[keys.at(-1)] = JSON.parse(json);
    } catch {
      throw new Error(`${file}:${at}: value not understood: ${value}`);
    }
  }
  return root;
}

function pythonFiles(path, excluded, out = []) {
  const rel = relative(REPO, path).split(sep).join('/');
  const name = path.split(sep).at(-1);
  if (DEFAULT_EXCLUDE.includes(name) || excluded.some((e) => rel === e || rel.startsWith(e + '/'))) return out;
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) pythonFiles(join(path, entry), excluded, out);
  } else if (path.endsWith('.py')) out.push(path);
  return out;
}

/** [{path, row, column, code, message}] for the given paths (default: the whole repo). */
export function lintPython(paths = [REPO]) {
  const config = parseToml(readFileSync(CONFIG, 'utf8'), relative(REPO, CONFIG));
  const excluded = SELECTION.flatMap((k) => config[k] ?? []);
  const options = Object.fromEntries(Object.entries(config).filter(([k]) => !SELECTION.includes(k)));
  const workspace = new Workspace(options, PositionEncoding.Utf32); // columns in characters, as ruff prints them
  const files = paths.flatMap((p) => pythonFiles(resolve(p), excluded));
  return files.flatMap((file) =>
    workspace
      .check(readFileSync(file, 'utf8'))
      .map((d) => ({
        path: file.startsWith(REPO + sep) ? relative(REPO, file) : file,
        row: d.start_location.row,
        column: d.start_location.column,
        code: d.code,
        message: d.message,
      }))
      .sort((a, b) => a.row - b.row || a.column - b.column),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2).map((p) => (isAbsolute(p) ? p : resolve(process.cwd(), p)));
  const found = lintPython(args.length ? args : undefined);
  for (const d of found) process.stdout.write(`${d.path}:${d.row}:${d.column}: ${d.code ?? 'invalid-syntax'} ${d.message}\n`);
  process.stdout.write(found.length ? `Found ${found.length} error${found.length === 1 ? '' : 's'}.\n` : 'All checks passed!\n');
  process.exitCode = found.length ? 1 : 0;
}
