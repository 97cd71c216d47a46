// Layer rules live here, not in memory: shared <- electron/core <- electron/main|preload|headless; renderer -> shared only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'stream', 'zlib', 'url', 'events', 'worker_threads', 'util'];
const pattern = (group, message) => ({ group, message });

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
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(nodeBuiltins, 'shared/ is pure TypeScript: no Node builtins.'),
        pattern(['electron', 'electron/*', 'react', 'react-dom', 'ws', 'pino'], 'shared/ imports no runtime-specific module.'),
        pattern(['**/electron/**', '**/renderer/**', '**/adapters/**'], 'shared/ depends on nothing in the repo but itself.'),
      ] }],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(['electron', 'electron/*'], 'electron/core is plain Node: it never imports electron.'),
        pattern(['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '**/electron/headless/**',
          '../main/*', '../../main/*', '../preload/*', '../../preload/*', '../headless/*', '../../headless/*'], 'electron/core depends only on shared/ (the shells depend on it, never the reverse).'),
      ] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        pattern(nodeBuiltins, 'renderer/ runs in a browser sandbox: no Node builtins.'),
        pattern(['electron', 'electron/*', 'ws', 'pino'], 'renderer/ imports only shared/ and browser libraries.'),
        pattern(['**/electron/**', '**/adapters/**'], 'renderer/ imports only shared/.'),
      ] }],
    },
  },
  {
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['electron/main/ipc.ts', 'electron/preload/**'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "MemberExpression[object.name='ipcMain']", message: 'Use the typed IPC wrapper in electron/main/ipc.ts.' },
        { selector: "MemberExpression[object.name='ipcRenderer']", message: 'Use the typed preload bridge.' },
      ],
    },
  },
);
