import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { fieldServiceWorker } from './field-pwa.ts';

/** Chromium 87 (Chrome/Edge 87+, and domestic browsers on a Chromium ≥ 87 kernel), Firefox ESR 102, Safari 15. */
export const BROWSER_TARGET = ['chrome87', 'edge87', 'firefox102', 'safari15'];

/**
 * Built-ins the bundle (our code, deck.gl, zod, svelte) calls that are newer than BROWSER_TARGET and that no
 * compiler can lower: `Array/String/TypedArray.prototype.at` (Chromium 92) and `Object.hasOwn` (Chromium 93).
 * Put at the top of every chunk, installed once by whichever runs first. Found by searching the built chunks for
 * post-87 built-ins (`.at(`, `hasOwn`, `structuredClone`, `findLast`, `toSorted`, `groupBy` …): re-check after
 * upgrading a dependency.
 */
const RUNTIME_POLYFILLS = `(function(){if(globalThis.__egretPolyfilled)return;globalThis.__egretPolyfilled=1;\
function at(n){n=Math.trunc(n)||0;if(n<0)n+=this.length;return n<0||n>=this.length?void 0:this[n]}\
[Array,String,Int8Array,Uint8Array,Uint8ClampedArray,Int16Array,Uint16Array,Int32Array,Uint32Array,Float32Array,Float64Array]\
.forEach(function(C){if(!C.prototype.at)Object.defineProperty(C.prototype,'at',{value:at,writable:true,configurable:true})});\
if(!Object.hasOwn)Object.defineProperty(Object,'hasOwn',{value:function(o,k){return Object.prototype.hasOwnProperty.call(o,k)},writable:true,configurable:true})})();`;

/** Where `npm run dev` finds the hub; the built display is served by the hub itself, so this is dev-only. */
const hub = process.env.EGRET_HUB_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [svelte(), fieldServiceWorker()],
  server: {
    proxy: {
      '/socket.io': { target: hub, ws: true },
      '/api': { target: hub },
    },
  },
  build: {
    // The oldest browsers walls and consoles must run on (docs/operations.md, Browsers): command-centre PCs often run
    // Chromium-based domestic browsers (360安全浏览器, 奇安信可信浏览器 …) on an old kernel. Syntax newer than these is
    // compiled down; the few newer built-ins the bundle uses are polyfilled (RUNTIME_POLYFILLS above). WebGL 2 is
    // required whatever the version (deck.gl 9).
    target: BROWSER_TARGET,
    cssTarget: BROWSER_TARGET,
    // Two pages: the wall and console (index.html) and the field terminal 城管通 (field.html, served at /field/).
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        field: fileURLToPath(new URL('./field.html', import.meta.url)),
      },
      output: { banner: RUNTIME_POLYFILLS },
    },
    outDir: 'dist',
    emptyOutDir: true,
    // deck.gl is one large chunk by nature; the wall loads it once and runs for weeks.
    chunkSizeWarningLimit: 2500,
  },
});
