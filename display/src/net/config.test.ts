import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@egret/protocol';
import { ConfigLoadError, fetchHubConfig } from './config.ts';

const answer = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe(fetchHubConfig.name, () => {
  it('takes the config of a hub of this protocol or an older one it reads (a rolling upgrade: no reload loop)', async () => {
    for (const protocol of [PROTOCOL_VERSION, 1])
      expect(await fetchHubConfig(async () => answer({ protocol, city: 'x' }))).toEqual({ protocol, city: 'x' });
  });

  it('refuses a newer hub, or an answer without a whole protocol number, with a ConfigLoadError naming both', async () => {
    for (const protocol of [PROTOCOL_VERSION + 1, '2', undefined]) {
      const err = await fetchHubConfig(async () => answer({ protocol })).catch((e: unknown) => e);
      expect(err, String(protocol)).toBeInstanceOf(ConfigLoadError);
      expect((err as Error).message).toContain(`this display ${PROTOCOL_VERSION}`);
    }
    await expect(fetchHubConfig(async () => answer({}, 503))).rejects.toThrow(ConfigLoadError);
  });
});
