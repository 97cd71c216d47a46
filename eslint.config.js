// Layer rules live here, not in memory: shared <- electron/core <- electron/main|preload|headless; renderer -> shared only.
// Raw IPC (ipcMain, ipcRenderer, webContents.send) appears only in the two typed wrappers.
// electron/main/eslint-rules.test.ts runs ESLint on small fixtures to prove each rule refuses what it should.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
const restrictImports = ({ paths = [], patterns = [] }) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

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

// electron/main may use electron/core and shared/; never the renderer, the preload, the headless CLI or adapters.
const mainLayer = {
  regex: '(^|/)(renderer|preload|headless|adapters)(/|$)',
  message: 'electron/main imports only electron, Node, electron/core and shared/.',
};
// The sandboxed preload may import only electron and shared/ (no Node, no core, no npm modules).
const preloadLayer = { regex: '^(?!electron$)(?!(\\.\\./)+shared/)', message: 'electron/preload imports only electron and shared/.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-output/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'], // tests run under Node; the rule guards shipped code
    rules: restrictImports({
      patterns: [
        pattern(nodeBuiltins, 'shared/ is pure TypeScript: no Node builtins.'),
        pattern(['electron', 'electron/*', 'react', 'react-dom', 'ws', 'pino'], 'shared/ imports no runtime-specific module.'),
        pattern(['**/electron/**', '**/renderer/**', '**/adapters/**'], 'shared/ depends on nothing in the repo but itself.'),
      ],
    }),
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: restrictImports({
      patterns: [
        pattern(['electron', 'electron/*'], 'electron/core is plain Node: it never imports electron.'),
        pattern(
          [
            '**/renderer/**',
            '**/electron/main/**',
            '**/electron/preload/**',
            '**/electron/headless/**',
            '../main/*',
            '../../main/*',
            '../preload/*',
            '../../preload/*',
            '../headless/*',
            '../../headless/*',
          ],
          'electron/core depends only on shared/ (the shells depend on it, never the reverse).',
        ),
      ],
    }),
  },
  {
    files: ['electron/headless/**/*.ts'],
    rules: restrictImports({ paths: [rawIpcImport] }),
  },
  { files: ['electron/main/**/*.ts'], rules: restrictImports({ paths: [rawIpcImport], patterns: [mainLayer] }) },
  { files: ['electron/main/ipc.ts'], rules: restrictImports({ patterns: [mainLayer] }) },
  { files: ['electron/preload/**/*.ts'], rules: restrictImports({ paths: [rawIpcImport], patterns: [preloadLayer] }) },
  { files: ['electron/preload/index.ts'], rules: restrictImports({ patterns: [preloadLayer] }) },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrictImports({
      patterns: [
        pattern(nodeBuiltins, 'renderer/ runs in a browser sandbox: no Node builtins.'),
        pattern(['electron', 'electron/*', 'ws', 'pino'], 'renderer/ imports only shared/ and browser libraries.'),
        pattern(['**/electron/**', '**/adapters/**'], 'renderer/ imports only shared/.'),
      ],
    }),
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: IPC_WRAPPERS,
    rules: { 'no-restricted-syntax': ['error', ...rawIpcSyntax] },
  },
);
