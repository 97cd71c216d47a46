// Layer rules live here, not in memory: shared <- electron/core <- electron/main|preload|headless; renderer -> shared only;
// adapters/sim speaks the wire protocol (shared/ only). Repository paths are checked as resolved files
// (import-x/no-restricted-paths zones), so a file at any depth is covered; package names (electron, Node builtins)
// by no-restricted-imports. Inside electron/core the import graph has no cycle, type imports included.
// Raw IPC (ipcMain, ipcRenderer, webContents.send) appears only in the two typed wrappers.
// electron/main/eslint-rules.test.ts runs ESLint on small fixtures to prove each rule refuses what it should.
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const repo = import.meta.dirname;
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'child_process',
  'net',
  'http',
  'https',
  'stream',
  'zlib',
  'url',
  'events',
  'worker_threads',
  'util',
];
const pattern = (group, message) => ({ group, message });
/** Package names only (a relative path that passes through a folder of that name is the zones' business). */
const packages = (names, message) => ({ regex: `^(${names.join('|')})(/|$)`, message });
const restrictImports = ({ paths = [], patterns = [] }) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });
const zones = (...list) => ({ 'import-x/no-restricted-paths': ['error', { basePath: repo, zones: list }] });

const IPC_WRAPPERS = ['electron/main/ipc.ts', 'electron/preload/index.ts'];
const RAW_IPC = ['ipcMain', 'ipcRenderer'];
const RAW_IPC_MESSAGE = 'Raw IPC lives only in the typed wrappers (electron/main/ipc.ts, electron/preload/index.ts).';
const rawIpcImport = { name: 'electron', importNames: RAW_IPC, message: RAW_IPC_MESSAGE }; // also refuses `import * as electron`
const RAW_IPC_NAME = `/^(${RAW_IPC.join('|')})$/`;
const SEND = '/^(send|sendSync|sendToFrame|sendToHost|postMessage)$/';
const rawIpcSyntax = [
  // electron.ipcMain (default import, require, dynamic import), electron['ipcMain']
  { selector: `MemberExpression[property.name=${RAW_IPC_NAME}]`, message: RAW_IPC_MESSAGE },
  { selector: `MemberExpression[computed=true][property.value=${RAW_IPC_NAME}]`, message: RAW_IPC_MESSAGE },
  // const { ipcMain } = electron
  { selector: `ObjectPattern > Property[key.name=${RAW_IPC_NAME}]`, message: RAW_IPC_MESSAGE },
  // win.webContents.send(…), event.sender.send(…), wc.send(…)
  {
    selector: `CallExpression > MemberExpression[property.name=${SEND}][object.property.name=/^(webContents|sender)$/]`,
    message: `webContents.send: ${RAW_IPC_MESSAGE}`,
  },
  {
    selector: `CallExpression > MemberExpression[property.name=${SEND}][object.name=/^(wc|webContents|contents|sender)$/]`,
    message: `webContents.send: ${RAW_IPC_MESSAGE}`,
  },
];

// The sandboxed preload may import only electron and shared/ (no Node, no core, no npm modules).
const preloadLayer = { regex: '^(?!electron$)(?!(\\.\\./)+shared/)', message: 'electron/preload imports only electron and shared/.' };

// Where test and bench support lives; shipped code never imports it.
const SUPPORT = ['test', 'bench', 'e2e', 'scripts'];

// ---------- layers (shipped code; tests may also use test/support) ----------
const LAYERS = [
  {
    target: 'shared',
    from: ['electron', 'renderer', 'adapters', ...SUPPORT],
    message: 'shared/ depends on nothing in the repo but itself.',
  },
  {
    target: 'electron/core',
    from: ['electron/main', 'electron/preload', 'electron/headless', 'renderer', 'adapters', ...SUPPORT],
    message: 'electron/core depends only on shared/ (the shells depend on it, never the reverse; test support lives in test/support).',
  },
  {
    target: 'electron/main',
    from: ['renderer', 'electron/preload', 'electron/headless', 'adapters', ...SUPPORT],
    message: 'electron/main imports only electron, Node, electron/core and shared/.',
  },
  {
    target: 'electron/headless',
    from: ['renderer', 'electron/main', 'electron/preload', 'test', 'bench', 'e2e'],
    message: 'electron/headless imports only Node, electron/core, shared/, the simulator and the panel build.',
  },
  { target: 'renderer', from: ['electron', 'adapters', ...SUPPORT], message: 'renderer/ imports only shared/.' },
  {
    target: 'adapters/sim',
    from: ['electron', 'renderer', 'adapters/blender', ...SUPPORT],
    message: 'adapters/sim speaks the wire protocol: it imports only shared/ (never the orchestrator, the shells or test support).',
  },
];
// Tests run beside the code they test and may use test/support (and, through it, the simulator).
const TEST_LAYERS = [
  // (the simulator's scene generator makes test scenes for the hashing tests)
  { target: 'shared', from: ['electron', 'renderer'], message: 'shared/ tests use shared/ and the simulator only.' },
  {
    target: 'electron/core',
    from: ['electron/main', 'electron/preload', 'electron/headless', 'renderer'],
    message: 'electron/core tests use the core, shared/ and test/support only.',
  },
  { target: 'renderer', from: ['electron', 'adapters'], message: 'renderer/ tests use only renderer/ and shared/.' },
];

// ---------- inside electron/core: who may know whom ----------
const core = (p) => `electron/core/${p}`;
const LEAVES = ['transport', 'wal', 'auth', 'security', 'audit'];
const CORE_PARTS = [
  // The brain decides; it declares the interfaces it needs (BrainTokens, ScriptScanner) and sees the
  // transport and the WAL only through their seam files.
  {
    target: core('brain'),
    from: [core('control'), core('http'), core('orchestrator.ts'), core('auth'), core('security'), core('audit')],
    message:
      'brain/ never imports the control side, the HTTP shell, the composition root, the token store, the scanner or the audit store (it declares AuditSink).',
  },
  {
    target: core('brain'),
    from: core('transport'),
    except: ['./types.ts'],
    message: 'brain/ sees the transport only through transport/types.ts (BrainPort, PeerSession).',
  },
  {
    target: core('brain'),
    from: core('wal'),
    except: ['./types.ts'],
    message: 'brain/ sees the WAL only through wal/types.ts (DurableLog).',
  },
  // Leaves know nothing of the rest of the core.
  ...LEAVES.map((leaf) => ({
    target: core(leaf),
    from: [core('brain'), core('control'), core('http'), core('orchestrator.ts'), ...LEAVES.filter((l) => l !== leaf).map(core)],
    message: `${leaf}/ is a leaf of the core: it never imports the brain, the control side, the HTTP shell or another leaf.`,
  })),
  // The control side reads and drives the brain; it never reaches the shell or the leaves.
  {
    target: core('control'),
    from: [core('http'), core('orchestrator.ts'), ...LEAVES.map(core)],
    message: 'control/ drives the brain; it never imports the HTTP shell, the composition root or the transport, WAL, auth or scanner.',
  },
  // The HTTP shell serves the control facade and the adapter endpoint; it never sees the brain.
  {
    target: core('http'),
    from: [core('brain'), core('orchestrator.ts')],
    message: 'http/ never imports the brain or the composition root.',
  },
  {
    target: core('http'),
    from: core('control'),
    except: ['./index.ts'],
    message: 'http/ uses the control side only through its facade, control/index.ts.',
  },
];

/**
 * import-x/no-cycle skips type-only imports; a type import is an edge of the design all the same
 * (two modules that name each other's types are one module). This wraps the TypeScript parser so
 * every import and re-export reads as a value import, for the files where no-cycle runs.
 */
const typeImportsCounted = (parser) => ({
  meta: { name: 'typescript-eslint-parser/type-imports-counted' },
  parseForESLint(code, options) {
    const result = parser.parseForESLint(code, options);
    for (const node of result.ast.body) {
      if (node.type === 'ImportDeclaration') {
        node.importKind = 'value';
        for (const s of node.specifiers) if (s.type === 'ImportSpecifier') s.importKind = 'value';
      } else if (node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') {
        node.exportKind = 'value';
        for (const s of node.specifiers ?? []) s.exportKind = 'value';
      }
    }
    return result;
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-output/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      // Sources import './x.js' for './x.ts' (ESM as TypeScript emits it).
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } }),
      ],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['**/*.{ts,tsx}'], ignores: TESTS, rules: zones(...LAYERS) },
  { files: TESTS, rules: zones(...TEST_LAYERS) },
  { files: ['electron/core/**/*.ts'], ignores: TESTS, rules: zones(...LAYERS, ...CORE_PARTS) },
  {
    files: ['electron/core/**/*.ts'],
    languageOptions: { parser: typeImportsCounted(tseslint.parser) },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'], // tests run under Node; the rule guards shipped code
    rules: restrictImports({
      patterns: [
        pattern(nodeBuiltins, 'shared/ is pure TypeScript: no Node builtins.'),
        packages(['electron', 'react', 'react-dom', 'ws', 'pino'], 'shared/ imports no runtime-specific module.'),
      ],
    }),
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: restrictImports({ patterns: [packages(['electron'], 'electron/core is plain Node: it never imports electron.')] }),
  },
  {
    files: ['electron/headless/**/*.ts'],
    rules: restrictImports({ paths: [rawIpcImport] }),
  },
  { files: ['electron/main/**/*.ts'], ignores: IPC_WRAPPERS, rules: restrictImports({ paths: [rawIpcImport] }) },
  { files: ['electron/preload/**/*.ts'], rules: restrictImports({ paths: [rawIpcImport], patterns: [preloadLayer] }) },
  { files: ['electron/preload/index.ts'], rules: restrictImports({ patterns: [preloadLayer] }) },
  {
    files: ['adapters/**/*.ts'],
    rules: restrictImports({
      paths: [{ name: 'electron', message: 'adapters run beside an engine or agent: they never import electron.' }],
    }),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrictImports({
      patterns: [
        pattern(nodeBuiltins, 'renderer/ runs in a browser sandbox: no Node builtins.'),
        packages(['electron', 'ws', 'pino'], 'renderer/ imports only shared/ and browser libraries.'),
      ],
    }),
  },
  { files: ['renderer/**/*.{ts,tsx}'], ...reactHooks.configs.flat['recommended-latest'] },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: IPC_WRAPPERS,
    rules: { 'no-restricted-syntax': ['error', ...rawIpcSyntax] },
  },
);
