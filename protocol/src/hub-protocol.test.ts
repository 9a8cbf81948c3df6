import { describe, expect, it } from 'vitest';
import { FRAME_VERSIONS } from './frame.ts';
import { OLDEST_HUB_PROTOCOL, PROTOCOL_VERSION, readsHubProtocol } from './socket.ts';

describe(readsHubProtocol.name, () => {
  it('a screen keeps working with a hub of its own protocol or an older one it still reads; a newer one means reload', () => {
    expect(readsHubProtocol(PROTOCOL_VERSION)).toBe(true);
    // Protocol 1 hubs write position frames of version 2, which this display decodes: during a rolling upgrade a
    // screen of protocol 2 that meets an old hub stays (reloading would serve it the old bundle, which then meets a
    // new hub and reloads again: a loop that lasts as long as the upgrade).
    expect(FRAME_VERSIONS).toContain(2);
    expect(readsHubProtocol(1)).toBe(true);
    expect(readsHubProtocol(PROTOCOL_VERSION + 1)).toBe(false);
    expect(readsHubProtocol(OLDEST_HUB_PROTOCOL - 1)).toBe(false);
  });

  it('refuses what is not a whole protocol number, whatever a hub or proxy answered', () => {
    for (const bad of ['2', '1', 2.5, Number.NaN, Infinity, -1, null, undefined, {}, [2], true])
      expect(readsHubProtocol(bad), String(bad)).toBe(false);
  });
});
