import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineProject } from 'vitest/config';
import { DOM_TESTS } from './vitest.config.ts';

/** Display component tests, and the modules that need a DOM (see DOM_TESTS), in happy-dom. */
export default defineProject({
  plugins: [svelte(), svelteTesting()],
  test: {
    name: 'display-dom',
    environment: 'happy-dom',
    include: DOM_TESTS,
    testTimeout: 30_000,
    isolate: false,
  },
});
