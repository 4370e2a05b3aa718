// Lint, including the layering rules: renderer/ never imports electron or Node built-ins (it runs in a
// sandboxed page); engine/ and vm/ never import electron (they run in any Node process).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'url', 'util'];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'test-results', 'e2e/artifacts', 'tmp-smoke', 'tools/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Berth does not use the React Compiler; this rule only reports what the compiler would skip.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches the app only through the typed API.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
            {
              group: ['**/app/backend/**', '**/app/web/**', '**/app/electron/**', '**/app/launcher/**'],
              message: 'The renderer may import only app/contract.',
            },
            {
              regex: '/engine/(?!core/(engine-types|connection-state)$)',
              message: 'The renderer imports engine types only (import type).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['base/**/*.ts', 'engine/**/*.ts', 'vm/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'engine/ and vm/ run without Electron.' }] }],
    },
  },
  {
    files: ['app/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The contract is shared with the renderer.' }],
          patterns: [{ group: nodeBuiltins, message: 'The contract is shared with the renderer: no Node built-ins.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
