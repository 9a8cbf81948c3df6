// The house linter (npm run lint, run by npm test): ESLint's and typescript-eslint's recommended rules for every
// package, eslint-plugin-svelte's for the display's components, and a few rules of our own house (style.md).
// Formatting is Prettier's (npm run format), not the linter's.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './display/svelte.config.js';

export default ts.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'artifacts/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // Unused bindings are mistakes, except a deliberately ignored `_name`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Packages are imported by name (@egret/protocol), never by a path into another package's sources.
      'no-restricted-imports': ['error', { patterns: [{ regex: String.raw`^(\.\./)+(\.\./)?(protocol|config|server|display|simulator)/src`, message: 'import another package by its name (@egret/…), not by a path into its sources' }] }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
);
