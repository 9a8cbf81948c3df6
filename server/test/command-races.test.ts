import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMAND_ACTION_TARGET,
  CommandCaseAction,
  transitionAction,
  type CaseStatus,
  type Result,
} from '@egret/protocol';
import type { Redis } from '../src/redis/connect.ts';
import { startHub, testRedis, type TestHub } from './hub-fixture.ts';
import {
  caseReaches,
  Console,
  fileCase,
  input,
  inputsHandled,
  logLength,
  mirrorCaughtUp,
  ok,
  postCommand,
  registerUnit,
  taskUpdate,
} from './loop-fixture.ts';

describe('commands under contention, retries and illegal requests', () => {
  let hub: TestHub;
  let redis: Redis;
  let keys: Awaited<ReturnType<typeof testRedis>>['keys'];
  const consoles: Console[] = [];

  beforeAll(async () => {
    const t = await testRedis('races');
    redis = t.redis;
    keys = t.keys;
    hub = await startHub(t.ns);
    for (let i = 0; i < 5; i++) consoles.push(new Console(hub.url, `commander-${i}`));
  });
  afterAll(async () => {
    for (const c of consoles) c.close();
    await hub.close();
    await redis.close();
  });

  const taskCount = async () => Number(await redis.hLen(keys.tasks));

  it('makes exactly one task when 50 dispatches of one unit to 50 cases arrive at once, and refuses the rest as unit_busy naming the case', async () => {
    await registerUnit(redis, keys, 'U-HOT', { squadId: 'SQ-HOT' });
    for (let i = 0; i < 50; i++) await fileCase(redis, keys, `C-HOT-${i}`);
    await caseReaches(hub, 'C-HOT-49', 'filed');
    await inputsHandled(redis, keys);
    const [tasksBefore, logBefore] = [await taskCount(), await logLength(redis, keys)];

    // 45 over five sockets and 5 over HTTP, all in flight together.
    const results: Array<Result<{ caseId?: string }>> = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        i % 10 === 9
          ? postCommand(hub.url, 'case:dispatch', {
              caseId: `C-HOT-${i}`,
              unitId: 'U-HOT',
              idempotencyKey: `hot-${i}`,
            }).then((r) => r.result)
          : consoles[i % 5]!.send('case:dispatch', { caseId: `C-HOT-${i}`, unitId: 'U-HOT' }),
      ),
    );
    const won = results.filter((r) => r.ok);
    const lost = results.filter((r): r is Extract<typeof r, { ok: false }> => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    const winner = (won[0] as { data: { caseId: string } }).data.caseId;
    for (const r of lost) {
      expect(r.error).toBe('unit_busy');
      expect(r.message).toBe(`squad SQ-HOT unit U-HOT is already dispatched to case ${winner} (task T-${winner}-1)`);
    }
    expect(await taskCount()).toBe(tasksBefore + 1);
    expect(await logLength(redis, keys)).toBe(logBefore + 3);
    // Every refusal is on the audit trail with who sent it.
    const audit = ((await redis.xRange(keys.audit, '-', '+')) ?? []).filter((e) => e.message.error === 'unit_busy');
    expect(audit).toHaveLength(49);
    expect(JSON.parse(audit[0]!.message.actor!)).toMatchObject({ role: 'commander' });
  });

  it('makes exactly one task when 50 dispatches of one unit to one case arrive at once', async () => {
    await registerUnit(redis, keys, 'U-ONE');
    await fileCase(redis, keys, 'C-ONE');
    await caseReaches(hub, 'C-ONE', 'filed');
    const [tasksBefore, logBefore] = [await taskCount(), await logLength(redis, keys)];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        consoles[i % 5]!.send('case:dispatch', { caseId: 'C-ONE', unitId: 'U-ONE' }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error)).toEqual(Array(49).fill('unit_busy'));
    expect(await taskCount()).toBe(tasksBefore + 1);
    expect(await logLength(redis, keys)).toBe(logBefore + 3);
  });

  it('gives one case to one squad when two commanders send different units to it at once', async () => {
    await registerUnit(redis, keys, 'U-TWIN-A', { squadId: 'SQ-A' });
    await registerUnit(redis, keys, 'U-TWIN-B', { squadId: 'SQ-B' });
    await fileCase(redis, keys, 'C-TWIN');
    await caseReaches(hub, 'C-TWIN', 'filed');
    const [a, b] = await Promise.all([
      consoles[0]!.send('case:dispatch', { caseId: 'C-TWIN', unitId: 'U-TWIN-A' }),
      consoles[1]!.send('case:dispatch', { caseId: 'C-TWIN', unitId: 'U-TWIN-B' }),
    ]);
    const [won, lost] = a.ok ? [a, b] : [b, a];
    expect(won.ok).toBe(true);
    expect(lost).toMatchObject({
      ok: false,
      error: 'case_already_dispatched',
      message: expect.stringMatching(/^case C-TWIN is already dispatched to squad SQ-[AB] \(task T-C-TWIN-1\)$/),
    });
  });

  it('answers a replayed idempotency key with the first result and makes no second task — double click, retry, or both at once', async () => {
    await registerUnit(redis, keys, 'U-IDEM');
    await fileCase(redis, keys, 'C-IDEM');
    await caseReaches(hub, 'C-IDEM', 'filed');
    const tasksBefore = await taskCount();
    const payload = { caseId: 'C-IDEM', unitId: 'U-IDEM', idempotencyKey: 'click-7f3a' };
    const [first, twin] = await Promise.all([
      consoles[0]!.send('case:dispatch', payload),
      consoles[1]!.send('case:dispatch', payload),
    ]);
    expect(first).toMatchObject({ ok: true, data: { taskId: 'T-C-IDEM-1' } });
    expect(twin).toEqual(first);
    const logAfter = await logLength(redis, keys);

    expect(await consoles[2]!.send('case:dispatch', payload)).toEqual(first);
    expect(await postCommand(hub.url, 'case:dispatch', payload)).toEqual({ status: 200, result: first });
    expect(await taskCount()).toBe(tasksBefore + 1);
    expect(await logLength(redis, keys)).toBe(logAfter);

    // The same key for another request is a mistake the sender must hear about.
    expect(await consoles[0]!.send('case:dispatch', { ...payload, note: 'different' })).toMatchObject({
      ok: false,
      error: 'idempotency_key_reused',
    });
    // Keys are per command: the same key on another command is its own.
    ok(await consoles[0]!.send('case:supervise', { caseId: 'C-IDEM', idempotencyKey: 'click-7f3a' }));
  });

  describe('every illegal step through the command path, with log and state unchanged', () => {
    /** Drives a fresh case to `status` through commands and field updates. */
    async function caseAt(status: CaseStatus, id: string): Promise<void> {
      const unit = `U-${id}`;
      await registerUnit(redis, keys, unit);
      await input(redis, keys, {
        kind: 'case.report',
        caseId: id,
        category: { code: '04002', standard: 'GB/T 47678.5-2026' },
        source: 'hotline',
        urgency: 'normal',
        lon: 118.09,
        lat: 24.46,
        address: '',
        at: Date.now(),
      });
      await caseReaches(hub, id, 'reported');
      const c = consoles[0]!;
      const step = async (action: CommandCaseAction, reason?: string) =>
        ok(await c.send('case:transition', { caseId: id, action, ...(reason ? { reason } : {}) }));
      if (status === 'reported') return;
      if (status === 'rejected') return void (await step('reject', '重复上报'));
      await step('accept');
      if (status === 'accepted') return;
      await step('file');
      if (status === 'filed') return;
      if (status === 'parked') return void (await step('park', '需协调'));
      const { taskId } = ok(await c.send('case:dispatch', { caseId: id, unitId: unit }));
      if (status === 'dispatched') return;
      await taskUpdate(redis, keys, taskId, unit, 'accepted');
      if (status === 'in_progress') return caseReaches(hub, id, 'in_progress');
      await taskUpdate(redis, keys, taskId, unit, 'done');
      await caseReaches(hub, id, 'handled');
      if (status === 'handled') return;
      await step('verify');
      if (status === 'verifying') return;
      await step('close');
    }

    const statuses: CaseStatus[] = [
      'reported',
      'accepted',
      'filed',
      'dispatched',
      'in_progress',
      'handled',
      'verifying',
      'closed',
      'rejected',
      'parked',
    ];

    it('refuses each action the loop does not allow from each status, as illegal_transition, and changes nothing', async () => {
      let refused = 0;
      await registerUnit(redis, keys, 'U-IDLE');
      const auditBefore = Number(await redis.xLen(keys.audit));
      for (const status of statuses) {
        const id = `C-ILL-${status}`;
        await caseAt(status, id);
        await mirrorCaughtUp(hub, redis, keys);
        const caseBefore = await redis.hGet(keys.cases, id);
        const [logBefore, tasks, units] = [
          await logLength(redis, keys),
          await redis.hGetAll(keys.tasks),
          await redis.hGetAll(keys.units),
        ];
        for (const action of CommandCaseAction.options) {
          if (transitionAction(status, COMMAND_ACTION_TARGET[action]) === action) continue;
          const r = await consoles[1]!.send('case:transition', {
            caseId: id,
            action,
            reason: 'a reason, so only the step itself is wrong',
          });
          expect({ status, action, r }).toMatchObject({
            status,
            action,
            r: { ok: false, error: 'illegal_transition', message: expect.stringContaining(`case ${id} is ${status}`) },
          });
          refused++;
        }
        if (status !== 'filed') {
          const r = await consoles[1]!.send('case:dispatch', { caseId: id, unitId: 'U-IDLE' });
          const error =
            status === 'dispatched' || status === 'in_progress' ? 'case_already_dispatched' : 'illegal_transition';
          expect({ status, r }).toMatchObject({ status, r: { ok: false, error } });
          refused++;
        }
        expect(await redis.hGet(keys.cases, id)).toBe(caseBefore);
        expect(await logLength(redis, keys)).toBe(logBefore);
        expect(await redis.hGetAll(keys.tasks)).toEqual(tasks);
        expect(await redis.hGetAll(keys.units)).toEqual(units);
        expect(hub.app.world().cases.get(id)?.status).toBe(status);
      }
      expect(refused).toBeGreaterThan(60);
      expect(Number(await redis.xLen(keys.audit)) - auditBefore).toBe(refused);
    });
  });
});
