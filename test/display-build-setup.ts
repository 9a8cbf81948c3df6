import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The display workspace. */
const DISPLAY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../display');

/**
 * Builds the display once before the end-to-end tests, so the hub serves the code under test rather than
 * whatever `display/dist` happened to hold. Quiet unless the build fails (then its error fails the run).
 * EGRET_E2E_DISPLAY_DIR builds elsewhere (e2e/support/hub.ts serves it from there): a second run on the same checkout
 * then does not rewrite the pages the first one is serving.
 */
export default async function setup(): Promise<void> {
  const outDir = process.env.EGRET_E2E_DISPLAY_DIR;
  await build({
    root: DISPLAY_DIR,
    configFile: resolve(DISPLAY_DIR, 'vite.config.ts'),
    logLevel: 'error',
    clearScreen: false,
    ...(outDir ? { build: { outDir: resolve(outDir), emptyOutDir: true } } : {}),
  });
}
