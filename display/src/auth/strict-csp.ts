/**
 * The hub serves the display under a strict Content-Security-Policy (`script-src 'self'`, no eval). zod, which
 * `@egret/protocol` builds its schemas with, probes `new Function('')` when it builds its first object schema, and
 * the browser reports that probe as a CSP violation even though zod catches it. zod's `jitless` setting skips the
 * probe; zod reads it from this global when it loads (zod/v4/core `globalConfig`), so main.ts imports this module
 * before anything that imports the protocol. The display never parses with zod on a hot path: nothing is lost.
 */
const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
g.__zod_globalConfig = { ...g.__zod_globalConfig, jitless: true };

export {};
