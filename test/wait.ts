/**
 * Waits for a condition for as long as the work behind it keeps moving. A fixed budget ("the simulated day within
 * 240 s") fails on a machine that is merely slow — two cores shared with other jobs run a real simulator and a hub
 * several times slower than a quiet one. Here the wait fails only when `progress()` (anything comparable by its JSON:
 * a count, a world time, an entry id) has not changed for `stallMs`, which is a hang on any machine, or when
 * `failed()` names why it can never come (the simulator exited). The test's own timeout stays the last resort.
 */
export async function waitWhileProgressing(
  what: string,
  o: {
    done: () => boolean | Promise<boolean>;
    progress: () => unknown;
    /** How long the measure may stand still before the wait counts as hung. */
    stallMs: number;
    /** A reason the condition can no longer come, or undefined. */
    failed?: () => string | undefined;
    pollMs?: number;
  },
): Promise<void> {
  const pollMs = o.pollMs ?? 50;
  let last = JSON.stringify(await o.progress());
  let movedAt = Date.now();
  while (!(await o.done())) {
    const why = o.failed?.();
    if (why) throw new Error(`gave up waiting for ${what}: ${why}`);
    const now = JSON.stringify(await o.progress());
    if (now !== last) {
      last = now;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > o.stallMs) {
      throw new Error(`timed out waiting for ${what}: no progress for ${o.stallMs} ms (stuck at ${now})`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
