// Lint, including the layering rules: renderer/ never imports electron or Node built-ins (it runs in a
// sandboxed page); engine/ and vm/ never import electron (they run in any Node process); base/ and the
// pure modules do no I/O; app/contract (bundled into the renderer) imports only pure modules; no import cycles.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'url', 'util'];
const nodeOnlyPackages = ['dockerode', 'ws', 'electron'];
/** no-restricted-imports for code that does no I/O: no Node built-ins, no package that needs Node. */
const noNodeImports = (message) => [
  'error',
  {
    paths: nodeOnlyPackages.map((name) => ({ name, message })),
    patterns: [{ group: nodeBuiltins, message: `${message}: no Node built-ins.` }],
  },
];

// What app/contract may import from engine/ and vm/: types and pure functions, no I/O (the renderer bundles the contract).
// Each domain's index.ts door also carries its Node services, so the contract imports these rooms directly.
const pureEngineModules = [
  'core/engine-types',
  'core/connection-state',
  'core/errors',
  'containers/container-types',
  'images/image-types',
  'volumes/volume-detail-types',
  'volumes/volume-paths',
  'networks/network-types',
  'networks/cidr',
  'disk/disk-usage-types',
  'remote/remote-address',
  'remote/ssh-address',
  'logs/logs-types',
  'logs/log-merge',
  'compose/compose-types',
  'ports/port-holder-types',
];
const pureVmModules = ['lifecycle/vm-state'];
const pureFiles = [...pureEngineModules.map((m) => `engine/${m}.ts`), ...pureVmModules.map((m) => `vm/${m}.ts`)];
/** Import-x zones: from target, nothing under engine/ or vm/ but the pure modules (paths resolved, so relative imports count too). */
const onlyPureZones = (target, message) => [
  { target, from: './engine', except: pureEngineModules.map((m) => `./${m}.ts`), message },
  { target, from: './vm', except: pureVmModules.map((m) => `./${m}.ts`), message },
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'test-results', 'e2e/artifacts', 'tmp-smoke', 'tools/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['tsconfig.json', 'renderer/tsconfig.json'], noWarnOnMultipleProjects: true }),
      ],
    },
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
              group: [
                '**/app/backend/**',
                '**/app/composition/**',
                '**/app/web/**',
                '**/app/electron/**',
                '**/app/launcher/**',
                '**/app/state-dir*',
              ],
              message: 'The renderer may import only app/contract.',
            },
            {
              regex: '(^|/)(engine|vm|base)/(?!core/(engine-types|connection-state)$)',
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
    ignores: ['app/contract/**/*.test.ts'],
    rules: {
      'no-restricted-imports': noNodeImports('The contract is shared with the renderer'),
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: onlyPureZones(
            './app/contract',
            'The contract is bundled into the renderer: it imports only pure engine and vm modules.',
          ),
        },
      ],
    },
  },
  {
    // base/ (shared by engine, vm and app) and the pure modules: no I/O, and only other pure modules.
    files: ['base/**/*.ts', ...pureFiles],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': noNodeImports('A pure module does no I/O'),
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...onlyPureZones(
              pureFiles.map((file) => `./${file}`),
              'A pure module imports only pure modules.',
            ),
            { target: './base', from: ['./app', './engine', './vm'], message: 'base/ sits below engine, vm and app.' },
          ],
        },
      ],
    },
  },
  {
    // No import cycles: when two modules need each other, one owns the thing and the other receives it.
    // (The rule skips type-only imports; tools/test.sh runs madge for cycles through types too.)
    files: ['{app,base,engine,vm,e2e,renderer}/**/*.{ts,tsx}'],
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
