import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectClient } from 'socket.io-client';
import { decodeFrame } from '@egret/protocol';
import { addUser, connectOutcome, PASSWORD, sessionCookie, startAuthHub, type AuthHub } from './auth-fixture.ts';
import { waitFor } from './hub-fixture.ts';

/** A raw connection with the handshake fields given, recording what the hub sends it. */
function connection(url: string, auth: Record<string, unknown>, cookie?: string) {
  const socket = connectClient(url, {
    transports: ['websocket'],
    auth,
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
  });
  const got: string[] = [];
  let frames = 0;
  socket.onAny((name: string) => got.push(name));
  socket.on('units:frame', (bytes: ArrayBuffer) => {
    decodeFrame(bytes);
    frames++;
  });
  return { socket, got, frames: () => frames };
}

/*
 * Issue #19: the positions-only stream (`stream: 'positions'`) is checked as any screen's connection: it opens no
 * door a screen's session does not, and odd values of the handshake fields make a whole screen, never half of one.
 */
describe('a positions stream on a hub that requires accounts', () => {
  let hub: AuthHub;
  const opened: { close(): void }[] = [];

  beforeAll(async () => {
    hub = await startAuthHub('pos-stream-auth');
    await addUser(hub.store, 'wall1', 'viewer');
    await hub.store.add('insp1', 'inspector', PASSWORD, ['350203000000001']);
  });
  afterAll(async () => {
    for (const s of opened) s.close();
    await hub.closeAll();
  });

  it('is refused without a session, with a forged cookie, and with an inspector’s session', async () => {
    const inspector = await sessionCookie(hub.url, 'insp1', PASSWORD);
    for (const [what, cookie] of [
      ['none', undefined],
      ['forged', 'egret_session=abc.def'],
      ['inspector', inspector],
    ] as const) {
      const c = connection(hub.url, { stream: 'positions' }, cookie);
      opened.push(c.socket);
      expect(await connectOutcome(c.socket), what).toMatch(/^(unauthenticated|forbidden):/);
    }
  });

  it('with a viewer’s session gets the frames only, and its commands are judged as the viewer’s', async () => {
    const cookie = await sessionCookie(hub.url, 'wall1', PASSWORD);
    const c = connection(hub.url, { stream: 'positions', lastSeq: 0 }, cookie);
    opened.push(c.socket);
    expect(await connectOutcome(c.socket)).toBe('connected');
    await waitFor('frames on the stream', () => c.frames() >= 2);
    expect(await c.socket.emitWithAck('case:dispatch', { caseId: 'C-X', unitId: 'U-X' })).toMatchObject({
      ok: false,
      error: 'forbidden',
    });
    expect(c.got.filter((n) => n !== 'hub:hello' && n !== 'units:frame')).toEqual([]);
  });

  it('takes other values of the fields as a whole screen: a snapshot and the frames', async () => {
    const cookie = await sessionCookie(hub.url, 'wall1', PASSWORD);
    for (const auth of [
      { stream: 'Positions' },
      { stream: ['positions'] },
      { positions: 'false' },
      { positions: 0 },
      { positions: null },
    ]) {
      const c = connection(hub.url, auth, cookie);
      opened.push(c.socket);
      expect(await connectOutcome(c.socket)).toBe('connected');
      await waitFor(
        `a snapshot and frames for ${JSON.stringify(auth)}`,
        () => c.got.includes('wall:snapshot') && c.frames() >= 1,
      );
    }
  });
});
