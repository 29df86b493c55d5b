// Lint: typescript-eslint's recommended rules, React hooks rules for the renderer, and the process
// boundary as rules: services may not import electron, the renderer may not import main-side code.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', '.tsbuild/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Model output is never inserted as HTML.' },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '*.config.ts', '*.config.js'],
    ignores: ['bench/page/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/contract/**/*.ts', 'electron/shared/**/*.ts', 'electron/web/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Services are Electron-free; put Electron code in electron/main.' }], patterns: ['**/main/**', 'electron-store'] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'bench/page/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.kaiwa.' }],
          patterns: [
            { group: ['**/electron/services/**', '**/electron/main/**', '**/electron/web/**', 'openai', 'node:*'], message: 'The renderer never runs main-side code or calls providers.' },
          ],
        },
      ],
    },
  },
);
