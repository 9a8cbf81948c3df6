import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The display workspace. */
const DISPLAY_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../display');

/**
 * Builds the display once before the end-to-end tests, so the hub serves the code under test rather than
 * whatever `display/dist` happened to hold. Quiet unless the build fails (then its error fails the run).
 */
export default async function setup(): Promise<void> {
  await build({ root: DISPLAY_DIR, configFile: resolve(DISPLAY_DIR, 'vite.config.ts'), logLevel: 'error', clearScreen: false });
}
