import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAccountsCommand } from '../src/auth/cli.ts';
import { login, PASSWORD, screenWith, connectOutcome, sessionCookie } from './auth-fixture.ts';
import { Phone, startFieldHub, type FieldHub } from './field-fixture.ts';

/**
 * Inspectors (监督员, issue #16): accounts with the `inspector` role and their grids, made with the accounts CLI; they
 * log in with the existing login, open the field terminal, and see nothing of the wall, the console or replay.
 */
describe('inspector accounts', () => {
  let hub: FieldHub;
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const code = await runAccountsCommand(args, { store: hub.store, out: (l) => out.push(l), publicUrl: hub.url });
    return { code, out: out.join('\n') };
  };

  beforeAll(async () => {
    hub = await startFieldHub('field-accounts');
  });
  afterAll(async () => {
    await hub?.closeField();
  });

  it('are added with their grids, and refused without them, with a bad grid, or grids on another role', async () => {
    const added = await cli('add', 'ivy', '--role', 'inspector', '--grids', 'G1ACC001,G2ACC002');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/added ivy \(inspector, grids G1ACC001,G2ACC002\); one-time password: \S+/);
    expect((await cli('add', 'ian', '--role', 'inspector')).code).toBe(1);
    expect((await cli('add', 'ian', '--role', 'inspector', '--grids', 'G1/../x')).code).toBe(1);
    expect((await cli('add', 'vic', '--role', 'viewer', '--grids', 'G1ACC001')).code).toBe(1);
    expect((await cli('add', 'ian', '--role', 'INSPECTOR', '--grids', 'G1ACC001')).code).toBe(1);
    expect((await cli('grids', 'ivy', 'G3ACC003')).code).toBe(0);
    expect((await hub.store.get('ivy'))!.grids).toEqual(['G3ACC003']);
    expect((await cli('list')).out).toMatch(/ivy\s+inspector\s+grids G3ACC003/);
  });

  it('log in with the existing login, open the field terminal, and no screen, console command or replay', async () => {
    await hub.store.add('ina', 'inspector', PASSWORD, ['G1ACC001']);
    const r = await login(hub.url, 'ina', PASSWORD);
    expect(r.body).toMatchObject({ ok: true, data: { id: 'ina', role: 'inspector' } });
    const cookie = await sessionCookie(hub.url, 'ina', PASSWORD);
    const phone = new Phone(hub.url, { cookie });
    expect(await phone.outcome()).toBe('connected');
    phone.close();
    const screen = screenWith(hub.url, { cookie });
    expect(await connectOutcome(screen)).toMatch(/^forbidden:/);
    screen.close();
    for (const path of ['/api/kpi', '/api/replay/range', '/api/cases/C-1/candidates', '/api/map/grids'])
      expect((await fetch(`${hub.url}${path}`, { headers: { cookie } })).status, path).toBe(403);
    const cmd = await fetch(`${hub.url}/api/commands/mode:set`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'typhoon', idempotencyKey: 'k' }),
    });
    expect(cmd.status).toBe(403);
  });
});
