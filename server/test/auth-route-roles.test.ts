import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseReport } from './hub-fixture.ts';
import { addUser, pair, PASSWORD, sessionCookie, startAuthHub, type AuthHub } from './auth-fixture.ts';

/**
 * The role a request needs is decided by the route the router matched, not by the raw path: Express matches
 * `/API/INGEST/EVENTS` to `/api/ingest/events`, so a guard that tested `path.startsWith('/ingest/')` let a wall
 * (a viewer) file cases and skip the command rate limit.
 */
describe('the role a route needs, whatever the spelling of its path', () => {
  let hub: AuthHub;
  let wall: string;
  let viewer: string;
  let hotline: string;

  /** A raw request: fetch would normalise `..` and some spellings before they reach the hub. */
  const raw = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; body: string }>((done, fail) => {
      const u = new URL(hub.url);
      const req = httpRequest(
        {
          host: u.hostname,
          port: u.port,
          method,
          path,
          headers: {
            ...(body !== undefined
              ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
              : {}),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', fail);
      req.end(body);
    });

  beforeAll(async () => {
    hub = await startAuthHub('auth-route-roles', {
      authOptions: { limits: { commands: { max: 3, windowMs: 60_000 } } },
    });
    const token = await hub.store.createPairing('lobby');
    wall = (await pair(hub.url, token)).cookie!;
    await addUser(hub.store, 'vic', 'viewer');
    viewer = await sessionCookie(hub.url, 'vic', PASSWORD);
    hotline = (await hub.store.createKey('hotline-route', 'ingest')).token;
  });
  afterAll(async () => {
    await hub.closeAll();
  });

  const INGEST_SPELLINGS = [
    '/api/ingest/events',
    '/API/INGEST/EVENTS',
    '/api/Ingest/events',
    '/Api/ingest/Events',
    '/api/%69ngest/events',
    '/api/ingest%2Fevents',
    '/api//ingest/events',
    '//api/ingest/events',
    '/api/ingest//events',
    '/api/ingest/events/',
    '/API/INGEST/EVENTS/',
    '/api/ingest/events/..',
    '/api/ingest/events/.',
    '/api/ingest/./events',
    '/api/ingest/events?x=1',
    '/API/INGEST/POSITIONS',
  ];

  it('refuses a wall and a viewer on every spelling of an ingest path and every method, and applies nothing', async () => {
    const before = await hub.redis.xLen(hub.keys.inEvents).catch(() => 0);
    const beforePositions = await hub.redis.xLen(hub.keys.inPositions).catch(() => 0);
    const answers: string[] = [];
    let n = 0;
    for (const cookie of [wall, viewer]) {
      for (const path of INGEST_SPELLINGS) {
        for (const method of ['POST', 'PUT', 'HEAD', 'OPTIONS', 'GET']) {
          const id = `C-SNEAK-${n++}`;
          const body = method === 'POST' || method === 'PUT' ? JSON.stringify(caseReport(id)) : undefined;
          const res = await raw(method, path, { cookie }, body);
          if (res.status !== 403 && res.status !== 404) answers.push(`${method} ${path}: ${res.status}`);
        }
      }
    }
    expect(answers).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await hub.redis.xLen(hub.keys.inEvents).catch(() => 0)).toBe(before);
    expect(await hub.redis.xLen(hub.keys.inPositions).catch(() => 0)).toBe(beforePositions);
    expect([...hub.app.world().cases.keys()].filter((id) => id.startsWith('C-SNEAK'))).toEqual([]);
  });

  it('still takes the ingest key’s input at the route (any letter case), and keeps the key off the screens’ routes', async () => {
    const ok = await raw(
      'POST',
      '/API/Ingest/Events',
      { authorization: `Bearer ${hotline}` },
      JSON.stringify(caseReport('C-KEY-CASE')),
    );
    expect(ok.status).toBe(202);
    for (const path of ['/api/kpi', '/API/KPI', '/api/replay/range', '/api/map/grids', '/API/COMMANDS/case:extend']) {
      const method = path.toLowerCase().includes('commands') ? 'POST' : 'GET';
      const res = await raw(method, path, { authorization: `Bearer ${hotline}` }, method === 'POST' ? '{}' : undefined);
      expect(res.status, path).toBe(403);
    }
  });

  it('counts every spelling of a command path against the command rate', async () => {
    const statuses: number[] = [];
    for (const path of [
      '/api/commands/case:extend',
      '/API/COMMANDS/case:extend',
      '/Api/Commands/case:extend',
      '/api/commands/case:extend/',
      '/API/COMMANDS/case:extend',
    ]) {
      statuses.push(
        (
          await raw(
            'POST',
            path,
            { cookie: viewer },
            JSON.stringify({ caseId: 'C-NONE', idempotencyKey: `k-${statuses.length}` }),
          )
        ).status,
      );
    }
    // Three per window: the viewer is refused (403, counted) three times, then limited (429) whatever the spelling.
    expect(statuses).toEqual([403, 403, 403, 429, 429]);
  });
});
