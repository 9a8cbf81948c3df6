/**
 * Svelte settings shared by Vite, vitest and svelte-check: our components are always in runes mode; libraries in
 * node_modules (the testing library's scaffold still uses `export let`) keep their own mode.
 */
export default {
  vitePlugin: {
    dynamicCompileOptions: ({ filename }) => (filename.includes('node_modules') ? undefined : { runes: true }),
  },
};
