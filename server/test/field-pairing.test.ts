import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_PAIRING_TTL_MS, type LogEvent } from '@egret/protocol';
import pino from 'pino';
import { FieldPairings } from '../src/field/pairing.ts';
import { Presence } from '../src/field/presence.ts';
import { redisStore } from '../src/redis/store.ts';
import { addUser, auditEntries, PASSWORD, sessionCookie } from './auth-fixture.ts';
import { call, Phone, postField, startFieldHub, type FieldHub } from './field-fixture.ts';
import { waitFor } from './hub-fixture.ts';
import { inputsHandled, readLogEvents, registerUnit } from './loop-fixture.ts';

/**
 * Pairing a phone with its unit (issue #16), the field socket's handshake, revocation and terminal presence, against a
 * real hub in required mode: the way an attacker would try them — forged, swapped and revoked tokens, reused and
 * expired codes, codes in another letter case, a burst of guesses, another role's credentials.
 */

describe('field terminals: pairing, handshake, revocation and presence', () => {
  let hub: FieldHub;
  let dispatcher: Record<string, string>;
  let viewer: Record<string, string>;
  let inspector: Record<string, string>;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const pairing = (unitId: unknown, headers = dispatcher) =>
    call(hub.url, 'POST', '/api/field/pairings', headers, { unitId });
  const pairWith = (code: unknown, headers: Record<string, string> = {}) =>
    call(hub.url, 'POST', '/api/field/pair', headers, { code, device: 'test-phone' });
  const terminalEvents = async (unitId: string) =>
    (await readLogEvents(hub.redis, hub.keys)).filter(
      (e): e is Extract<LogEvent, { type: 'terminal.changed' }> => e.type === 'terminal.changed' && e.unitId === unitId,
    );

  beforeAll(async () => {
    hub = await startFieldHub('field-pair');
    await addUser(hub.store, 'dora', 'dispatcher');
    await addUser(hub.store, 'vic', 'viewer');
    await hub.store.add('ivy', 'inspector', PASSWORD, ['G1PAIR001']);
    dispatcher = { cookie: await sessionCookie(hub.url, 'dora', PASSWORD) };
    viewer = { cookie: await sessionCookie(hub.url, 'vic', PASSWORD) };
    inspector = { cookie: await sessionCookie(hub.url, 'ivy', PASSWORD) };
    for (const u of ['U-P1', 'U-P2', 'U-P3']) await registerUnit(hub.redis, hub.keys, u);
    await inputsHandled(hub.redis, hub.keys);
    await waitFor('the units in the mirror', () => hub.app.world().units.has('U-P3'));
  });

  afterAll(async () => {
    await hub?.closeField();
  });

  it('pairs a phone once with a code a dispatcher made: any letter case, never twice', async () => {
    const made = await pairing('U-P1');
    expect(made.status).toBe(201);
    const { code, url, expiresAt } = made.body.result as { code: string; url: string; expiresAt: number };
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(url).toBe(`/field/#pair=${code}`);
    expect(expiresAt - Date.now()).toBeGreaterThan(FIELD_PAIRING_TTL_MS - 10_000);
    // The code is kept only as its hash.
    expect(JSON.stringify(await hub.redis.hGetAll(hub.keys.fieldPairings))).not.toContain(code);
    const paired = await pairWith(` ${code.toLowerCase()} `);
    expect(paired.status).toBe(200);
    const result = paired.body.result as { token: string; unitId: string; unitName: string };
    expect(result).toMatchObject({ unitId: 'U-P1', unitName: 'U-P1' });
    expect(result.token).toMatch(/^egret_d_/);
    expect(await pairWith(code)).toMatchObject({ status: 404, body: { ok: false, refusal: { code: 'invalid_code' } } });
    const phone = new Phone(hub.url, { token: result.token });
    expect(await phone.outcome()).toBe('connected');
    await waitFor('the phone’s state', () => phone.state !== undefined);
    expect(phone.state!.me).toMatchObject({ kind: 'unit', unit: { id: 'U-P1' } });
    phone.close();
  });

  it('lets only dispatchers make codes, for units that exist', async () => {
    expect((await pairing('U-P2', viewer)).status).toBe(403);
    expect((await pairing('U-P2', inspector)).status).toBe(403);
    expect((await pairing('U-P2', {})).status).toBe(401);
    expect(await pairing('U-NOPE')).toMatchObject({ status: 404, body: { refusal: { code: 'unknown_unit' } } });
    expect(await pairing('a b')).toMatchObject({ status: 400, body: { refusal: { code: 'bad_request' } } });
    expect((await call(hub.url, 'POST', '/api/field/pairings', dispatcher, { unitId: 'U-P2', extra: 1 })).status).toBe(
      400,
    );
    // A foreign page cannot make one with the dispatcher's cookie.
    const foreign = await call(
      hub.url,
      'POST',
      '/api/field/pairings',
      { ...dispatcher, origin: 'https://evil.example' },
      { unitId: 'U-P2' },
    );
    expect(foreign.status).toBe(403);
    const audit = await auditEntries(hub.redis, hub.keys);
    expect(audit.some((a) => a.command === 'field:pairing' && a.error === 'unknown_unit')).toBe(true);
  });

  it('refuses an expired code, and a newer code replaces the one still waiting', async () => {
    const past = new FieldPairings(
      hub.redis,
      hub.keys,
      () => hub.store,
      () => Date.now() - FIELD_PAIRING_TTL_MS - 1_000,
    );
    const { code: stale } = await past.create('U-P2', 'dora');
    expect(await pairWith(stale)).toMatchObject({ status: 404, body: { refusal: { code: 'invalid_code' } } });
    const first = (await pairing('U-P2')).body.result as { code: string };
    const second = (await pairing('U-P2')).body.result as { code: string };
    expect(await pairWith(first.code)).toMatchObject({ status: 404 });
    expect((await pairWith(second.code)).status).toBe(200);
  });

  it('refuses forged, swapped and malformed tokens, and other roles, at the socket’s door', async () => {
    const good = (await hub.store.createDevice('U-P3')).token;
    const tries: Array<[string, ConstructorParameters<typeof Phone>[1], RegExp]> = [
      ['no credential', {}, /^unauthenticated:/],
      ['a forged token', { token: `egret_d_${'1'.repeat(12)}_${'B'.repeat(43)}` }, /^unauthenticated:/],
      ['the right id with a wrong secret', { token: good.slice(0, -4) + 'AAAA' }, /^unauthenticated:/],
      ['a device token dressed as an API key', { token: good.replace('egret_d_', 'egret_k_') }, /^unauthenticated:/],
      ['the token in upper case', { token: good.toUpperCase() }, /^unauthenticated:/],
      ['a viewer’s session', { cookie: viewer.cookie }, /^forbidden:/],
      ['a dispatcher’s session', { cookie: dispatcher.cookie }, /^forbidden:/],
      ['a foreign page', { token: good, origin: 'https://evil.example' }, /^bad_origin:/],
    ];
    for (const [what, o, expected] of tries) {
      const phone = new Phone(hub.url, o);
      expect(await phone.outcome(), what).toMatch(expected);
      phone.close();
    }
    // An API key opens no field terminal.
    const key = (await hub.store.createKey('hotline', 'ingest')).token;
    const keyed = new Phone(hub.url, { token: key });
    expect(await keyed.outcome()).toMatch(/^forbidden:/);
    keyed.close();
    // And the console's namespace stays closed to a device token.
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toMatch(/egret_auth_refused_total\{reason="unauthenticated"\} [1-9]/);
  });

  it('cuts a revoked device at once — socket told and closed, requests refused 401 revoked — on the console’s unpairing and the CLI’s', async () => {
    const token = (await hub.store.createDevice('U-P3')).token;
    const phone = new Phone(hub.url, { token });
    expect(await phone.outcome()).toBe('connected');
    const closed = new Promise<number>((done) => phone.socket.once('disconnect', () => done(Date.now())));
    expect((await call(hub.url, 'DELETE', '/api/field/devices/U-P3', viewer)).status).toBe(403);
    const asked = Date.now();
    const unpaired = await call(hub.url, 'DELETE', '/api/field/devices/U-P3', dispatcher);
    expect(unpaired).toMatchObject({ status: 200, body: { ok: true, result: { unitId: 'U-P3', revoked: 1 } } });
    expect((await closed) - asked).toBeLessThan(1_000);
    expect(phone.ended).toMatchObject({ code: 'revoked' });
    const http = await postField(
      hub.url,
      'task:progress',
      { taskId: 'T-1', status: 'accepted', at: 1, idempotencyKey: 'k' },
      bearer(token),
    );
    expect(http.status).toBe(401);
    expect(JSON.stringify(http.answer)).toContain('revoked');
    const fixes = await fetch(`${hub.url}/api/ingest/positions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ fixes: [{ unitId: 'U-P3', lon: 118.09, lat: 24.46, at: Date.now() }] }),
    });
    expect(fixes.status).toBe(401);
    expect(await fixes.json()).toMatchObject({ error: 'revoked' });
    const again = new Phone(hub.url, { token });
    expect(await again.outcome()).toMatch(/^revoked:/);
    again.close();
    phone.close();

    // The CLI's `device revoke` goes through the same store: the phone is cut just as fast.
    const second = (await hub.store.createDevice('U-P3')).token;
    const phone2 = new Phone(hub.url, { token: second });
    expect(await phone2.outcome()).toBe('connected');
    const closed2 = new Promise<number>((done) => phone2.socket.once('disconnect', () => done(Date.now())));
    const at = Date.now();
    expect(await hub.store.revokeKey('device:U-P3')).toBe(1);
    expect((await closed2) - at).toBeLessThan(1_000);
    phone2.close();
    // Pairing a unit again replaces (and so revokes) its previous phone.
    const third = (await hub.store.createDevice('U-P3')).token;
    const phone3 = new Phone(hub.url, { token: third });
    expect(await phone3.outcome()).toBe('connected');
    const closed3 = new Promise<void>((done) => phone3.socket.once('disconnect', () => done()));
    const code = ((await pairing('U-P3')).body.result as { code: string }).code;
    expect((await pairWith(code)).status).toBe(200);
    await closed3;
    phone3.close();
  });

  it('keeps each unit’s terminal presence in Redis and logs it when it changes: online, outbox, offline', async () => {
    const token = (await hub.store.createDevice('U-P2')).token;
    const phone = new Phone(hub.url, { token });
    expect(await phone.outcome()).toBe('connected');
    await waitFor(
      'the unit online in the world',
      () => hub.app.world().units.get('U-P2')?.terminal?.state === 'online',
    );
    phone.socket.emit('field:status', { pending: 3, onDuty: true });
    await waitFor('the outbox in the world', () => hub.app.world().units.get('U-P2')?.terminal?.pending === 3);
    expect(hub.app.world().units.get('U-P2')!.terminal).toMatchObject({ state: 'online', pending: 3, onDuty: true });
    // Bad status reports change nothing.
    phone.socket.emit('field:status', { pending: -1, onDuty: true });
    phone.socket.emit('field:status', { pending: 'many' } as never);
    // Many quick changes settle into few events (debounced).
    for (let n = 2; n >= 0; n--) phone.socket.emit('field:status', { pending: n, onDuty: true });
    await waitFor('the outbox drained in the world', () => hub.app.world().units.get('U-P2')?.terminal?.pending === 0);
    phone.close();
    await waitFor(
      'the unit offline in the world',
      () => hub.app.world().units.get('U-P2')?.terminal?.state === 'offline',
    );
    const logged = (await terminalEvents('U-P2')).map((e) => [e.terminal.state, e.terminal.pending]);
    expect(logged[0]).toEqual(['online', 0]);
    expect(logged.at(-1)).toEqual(['offline', 0]);
    expect(logged.length).toBeLessThanOrEqual(5);
    const stored = JSON.parse((await hub.redis.hGet(hub.keys.terminals, 'U-P2'))!);
    expect(stored).toMatchObject({ state: 'offline', pending: 0 });
    // The unit's own changes keep the mark (the reducer carries it over).
    await registerUnit(hub.redis, hub.keys, 'U-P2', { status: 'off_duty' });
    await waitFor('the unit off duty', () => hub.app.world().units.get('U-P2')?.status === 'off_duty');
    expect(hub.app.world().units.get('U-P2')!.terminal?.state).toBe('offline');
  });

  /** A presence tracker of its own beside the hub's, on the same Redis (as another hub's would be). */
  const presenceBeside = () =>
    new Presence({
      redis: hub.redis,
      keys: hub.keys,
      store: redisStore(hub.redis, hub.keys, { logMaxLen: 100_000 }),
      world: () => hub.app.world(),
      realNow: Date.now,
      worldNow: Date.now,
      logger: pino({ level: 'silent' }),
      debounceMs: 10,
    });

  it('takes a unit offline when the hub holding its terminal died (nobody renews the connection)', async () => {
    const token = (await hub.store.createDevice('U-P1')).token;
    const phone = new Phone(hub.url, { token });
    expect(await phone.outcome()).toBe('connected');
    await waitFor('U-P1 online', () => hub.app.world().units.get('U-P1')?.terminal?.state === 'online');
    // Another hub's phone of the same unit, left behind when that hub died 5 minutes ago.
    const key = hub.keys.terminalConnPrefix + 'U-P1';
    await hub.redis.zAdd(key, { score: Date.now() - 5 * 60_000, value: 'dead-hub/socket-1' });
    phone.close();
    await waitFor('U-P1 offline', () => hub.app.world().units.get('U-P1')?.terminal?.state === 'offline');
    expect(await hub.redis.zCard(key)).toBe(0);
    // A unit marked online whose only connection is stale: another hub's sweep takes it offline.
    await hub.redis.hSet(
      hub.keys.terminals,
      'U-P1',
      JSON.stringify({ state: 'online', lastSeenAt: Date.now() - 300_000, pending: 0 }),
    );
    await hub.redis.zAdd(key, { score: Date.now() - 5 * 60_000, value: 'dead-hub/socket-2' });
    const other = presenceBeside();
    await other.sweep();
    expect(JSON.parse((await hub.redis.hGet(hub.keys.terminals, 'U-P1'))!)).toMatchObject({ state: 'offline' });
    await other.stop();
  });

  it('keeps a status sent right after the connect: each unit’s presence changes apply one after another', async () => {
    const presence = presenceBeside();
    // As a phone does on a reconnect: its outbox count the moment its socket is up. Side by side, the connect read
    // the presence before the status wrote it and wrote it back with the outbox at 0.
    await Promise.all([
      presence.connected('U-RACE', 'hub/socket-r'),
      presence.status('U-RACE', { pending: 2, onDuty: true }),
    ]);
    expect(JSON.parse((await hub.redis.hGet(hub.keys.terminals, 'U-RACE'))!)).toMatchObject({
      state: 'online',
      pending: 2,
      onDuty: true,
    });
    await Promise.all([
      presence.disconnected('U-RACE', 'hub/socket-r'),
      presence.connected('U-RACE', 'hub/socket-s'),
      presence.status('U-RACE', { pending: 5, onDuty: true }),
    ]);
    expect(JSON.parse((await hub.redis.hGet(hub.keys.terminals, 'U-RACE'))!)).toMatchObject({
      state: 'online',
      pending: 5,
    });
    await presence.stop();
  });

  it('refuses a burst of pairing-code guesses from one address: counted before the check, even a right code', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 14 }, (_, i) => pairWith(`ZZZZZZZZ${String(i).padStart(2, '0')}`)),
    );
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4);
    expect(statuses.every((s) => s === 429 || s === 404)).toBe(true);
    const code = ((await pairing('U-P1')).body.result as { code: string }).code;
    expect(await pairWith(code)).toMatchObject({ status: 429, body: { refusal: { code: 'rate_limited' } } });
    const audit = await auditEntries(hub.redis, hub.keys);
    expect(audit.filter((a) => a.command === 'field:pair' && a.error === 'invalid_code').length).toBeGreaterThanOrEqual(
      3,
    );
  });
});
