// Lint, and design.md's dependency rules stated in code: a wrong import is a lint error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream',
  'string_decoder', 'timers', 'tls', 'tty', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const nodeBuiltins = ['node:*', ...NODE_BUILTINS];

const restrict = (patterns) => ['error', { patterns }];
const group = (names, message) => ({ group: names, message });

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'dist-electron', 'release', 'test-results', 'playwright-report', '.cabinet-data'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        group(nodeBuiltins, 'shared/ imports nothing but itself: no Node built-ins.'),
        group(['electron', 'react', 'react-*', 'pg', 'mysql2', '**/electron/**', '**/renderer/**'], 'shared/ imports nothing but itself.'),
      ]),
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/web/**/*.ts', 'bin/**', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { regex: '^electron(/|$)', message: 'The core is plain Node: no electron import.' },
        group(['react', 'react-*', '**/renderer/**'], 'The core must not import the renderer.'),
        group(['**/electron/main/**', '**/electron/preload/**', '../main/*', '../preload/*'], 'The core must not import Electron main or preload.'),
      ]),
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([group(['react', 'react-*', '**/renderer/**'], 'Electron main and preload must not import the renderer.')]),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([
        group(nodeBuiltins, 'The renderer runs in a browser: no Node built-ins.'),
        group(['electron', 'electron/*', '**/electron/**', 'pg', 'pg-*', 'mysql2', 'mysql2/*'], 'The renderer talks to the core only through shared/api.ts.'),
      ]),
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Cell values and server text are rendered as text, never as HTML.' },
      ],
    },
  },
);
