import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/** Where `npm run dev` finds the hub; the built display is served by the hub itself, so this is dev-only. */
const hub = process.env.EGRET_HUB_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [svelte()],
  server: {
    proxy: {
      '/socket.io': { target: hub, ws: true },
      '/api': { target: hub },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // deck.gl is one large chunk by nature; the wall loads it once and runs for weeks.
    chunkSizeWarningLimit: 2500,
  },
});
