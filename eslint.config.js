// Lint, and design.md's dependency rules stated in code: a wrong import is a lint error.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';


const restrict = (patterns) => ['error', { patterns }];

// shared/ and the renderer name the packages they may use; any other bare import is refused, so a new
// dependency there is a decision made here, not an accident.
const SHARED_PACKAGES = ['zod'];
const RENDERER_PACKAGES = ['react', 'react-dom', 'zustand', 'zod', 'monaco-editor', 'sql-formatter'];
const onlyPackages = (packages, message) => ({
  regex: `^(?![./])(?!(${packages.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(/|$))`,
  message,
});
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
        onlyPackages(SHARED_PACKAGES, `shared/ imports nothing but itself and ${SHARED_PACKAGES.join(', ')}.`),
        { regex: '^\\.\\./', message: 'shared/ imports nothing but itself.' },
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
        onlyPackages(RENDERER_PACKAGES, `The renderer runs in a browser and may use only ${RENDERER_PACKAGES.join(', ')} (and shared/).`),
        group(['**/electron/**'], 'The renderer talks to the core only through shared/api.ts.'),
      ]),
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Cell values and server text are rendered as text, never as HTML.' },
      ],
    },
  },
);
