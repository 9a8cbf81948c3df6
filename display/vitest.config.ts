import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineProject } from 'vitest/config';

/**
 * The display's tests that need a DOM: components (`Name.test.ts`), modules whose Svelte runes must run as in a
 * browser (`*.svelte.test.ts`: in Node, Svelte resolves to its server build, where effects never run), and the two
 * modules that reach for `location` and `<video>`. They run in happy-dom (./vitest.dom.config.ts); the rest, pure
 * modules, in Node: a happy-dom window for every file was ~4 s of CPU a file, 578 s over the project, ten times its
 * tests.
 */
export const DOM_TESTS = [
  'src/**/[A-Z]*.test.ts',
  'src/**/*.svelte.test.ts',
  'src/auth/session-api.test.ts',
  'src/video/stream-player.test.ts',
];

/** A project of the display's tests: Svelte's compiler, and what both projects share. */
export function displayProject(test: {
  name: string;
  environment: 'node' | 'happy-dom';
  include: string[];
  exclude?: string[];
}) {
  return defineProject({
    plugins: [svelte(), svelteTesting()],
    test: {
      ...test,
      // A guard against a hang, not a speed bound: a test that imports every map layer (deck.gl) took over the
      // default 5 s beside other jobs on 2 cores.
      testTimeout: 30_000,
      isolate: false,
    },
  });
}

/** Display unit tests of pure modules, in Node. */
export default displayProject({
  name: 'display',
  environment: 'node',
  include: ['src/**/*.test.ts'],
  exclude: [...DOM_TESTS, '**/node_modules/**'],
});
