import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineProject } from 'vitest/config';

/** Display unit and component tests: pure modules in Node, components in happy-dom. */
export default defineProject({
  plugins: [svelte(), svelteTesting()],
  test: {
    name: 'display',
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    // A guard against a hang, not a speed bound: a test that imports every map layer (deck.gl) took over the default
    // 5 s beside other jobs on 2 cores.
    testTimeout: 30_000,
    isolate: false,
  },
});
