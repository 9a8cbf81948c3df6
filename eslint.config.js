// The house linter (npm run lint, run by npm test): ESLint's and typescript-eslint's recommended rules for every
// package, eslint-plugin-svelte's for the display's components, and a few rules of our own house (style.md).
// Formatting is Prettier's (npm run format), not the linter's.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './display/svelte.config.js';

/** Packages are imported by name (@egret/protocol), never by a path into another package's sources. */
const packagesByName = {
  regex: String.raw`^(\.\./)+(\.\./)?(protocol|config|server|display|simulator)/src`,
  message: 'import another package by its name (@egret/…), not by a path into its sources',
};

export default ts.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'artifacts/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // Unused bindings are mistakes, except a deliberately ignored `_name`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Packages are imported by name (@egret/protocol), never by a path into another package's sources.
      'no-restricted-imports': ['error', { patterns: [packagesByName] }],
    },
  },
  {
    // The hub's core owns its types and declares the store it needs (domain/store.ts); the adapters implement it.
    // The core never imports an adapter (style.md: "the core importing its adapter's types"). This block replaces
    // the rule for these files, so it repeats the packages-by-name pattern.
    files: ['server/src/domain/**/*.ts', 'server/src/commands/decide.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'redis',
              message: 'the domain is pure: it declares the store it needs (domain/store.ts), redis/ implements it',
            },
            { name: 'express', message: 'the domain is pure: HTTP is an adapter (http/)' },
            { name: 'socket.io', message: 'the domain is pure: sockets are an adapter (socket/)' },
          ],
          patterns: [
            packagesByName,
            {
              regex: String.raw`^\.\.?/(.*/)?(redis|http|socket|ingest|log|replay|positions)/`,
              message:
                'the domain does not import the hub’s adapters: declare what it needs in domain/ and let the adapter implement it',
            },
          ],
        },
      ],
    },
  },
  {
    // A binding read by a closure made before its one assignment (a late-bound roster) cannot be const. Svelte's
    // files keep the Svelte plugin's own rule ($props() destructures with let).
    files: ['**/*.ts'],
    ignores: ['**/*.svelte.ts'],
    rules: { 'prefer-const': ['error', { ignoreReadBeforeAssign: true }] },
  },
  {
    // Tests edit parsed JSON fixtures (a scenario file with one field changed): they are typed `any` on purpose.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
);
