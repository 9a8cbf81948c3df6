import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Longer than any display build takes: a guard against a hang, not a speed bound. */
const BUILD_GUARD_MS = 10 * 60_000;

let built: Promise<void> | null = null;

/**
 * Resolves once the display the hubs serve is built (test/display-build-setup.ts builds it beside the first test files);
 * rejects with the build's own message if it failed. Outside vitest (the bench and soak scripts) the display is
 * whatever `display/dist` holds, as before.
 */
export function displayBuilt(): Promise<void> {
  if (!process.env.VITEST) return Promise.resolve();
  built ??= (async () => {
    // Imported here: the bench and soak scripts load this module outside vitest.
    const { inject } = await import('vitest');
    const status = inject('displayBuildStatus');
    if (!status) return;
    const giveUpAt = Date.now() + BUILD_GUARD_MS;
    while (!existsSync(status)) {
      if (Date.now() > giveUpAt)
        throw new Error(`the display build had not ended after ${BUILD_GUARD_MS / 60_000} min`);
      await sleep(200);
    }
    const outcome = readFileSync(status, 'utf8');
    if (outcome !== 'ok') throw new Error(outcome);
  })();
  return built;
}
