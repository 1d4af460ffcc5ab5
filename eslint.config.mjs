// Lint: typescript-eslint's recommended rules over src and test; generated and cached folders are left out.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.vscode-test/', '.cache/', 'test/fixtures/', 'examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The webview scripts run in a browser page: neither node nor VS Code's API is there.
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'A webview script talks to the extension with postMessage only.' }],
          patterns: [
            { group: ['node:*'], message: 'A webview script runs in a browser: no node modules.' },
            {
              group: ['**/run/*', '**/runbook/*', '**/vscode/*'],
              message: 'A webview imports only core/view and its own files.',
            },
          ],
        },
      ],
    },
  },
  {
    // The core must stay free of VS Code so it runs in plain node, in the CLI and in unit tests.
    files: ['src/core/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'src/core and the CLI never import vscode: put the adapter in src/vscode/.' },
          ],
        },
      ],
    },
  },
);
