import { afterEach, describe, expect, it } from 'vitest';
import type { InputMessage } from '@egret/protocol';
import { asData, caseReport, now, startHub, testRedis, waitFor, type TestHub } from './hub-fixture.ts';

/**
 * Issue 14: with two hubs each reading its own share of the control-plane stream, a case system writing
 * report → accept → file for one case saw the accept and the file dead-lettered (`unknown_case`,
 * `illegal_transition`) because the other hub applied them before the report, and sensor readings were refused
 * `out_of_order`. One leased applier (server/src/ingest) keeps every entity's inputs in the order written.
 */
const upstream = { role: 'upstream', id: 'case-system' } as const;

let hubs: TestHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.map((h) => h.close()));
  hubs = [];
});

async function isApplier(hub: TestHub): Promise<boolean> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  return /^egret_ingest_applier\{stream="[^"]*in:events"\} 1$/m.test(text);
}

/** Many per-entity chains, interleaved the way several upstream systems writing at once interleave them. */
function chains(t0: number): InputMessage[][] {
  const out: InputMessage[][] = [];
  for (let i = 0; i < 60; i++) {
    const caseId = `ORD-${i}`;
    out.push([
      caseReport(caseId, { at: t0 + i }),
      { kind: 'case.transition', caseId, to: 'accepted', actor: upstream, at: t0 + i + 1 },
      { kind: 'case.transition', caseId, to: 'filed', actor: upstream, at: t0 + i + 2 },
    ]);
  }
  for (let s = 0; s < 10; s++) {
    const sensorId = `S-${s}`;
    out.push([
      {
        kind: 'sensor.register',
        sensorId,
        sensorKind: 'water_level',
        name: `井 ${s}`,
        district: '350203',
        lon: 118.09,
        lat: 24.46,
        unit: 'm',
        warning: 2,
        alarm: 3,
        at: t0,
      },
      ...Array.from({ length: 20 }, (_, k): InputMessage => ({
        kind: 'sensor.reading',
        sensorId,
        value: k / 10,
        at: t0 + 1_000 * (k + 1),
      })),
    ]);
  }
  for (let u = 0; u < 20; u++) {
    const unitId = `ORD-U-${u}`;
    out.push([
      {
        kind: 'unit.register',
        unitId,
        name: `执法 ${u}`,
        type: 'enforcement',
        squadId: 'SQ-ORD',
        district: '350203',
        status: 'available',
        at: t0,
      },
      { kind: 'unit.status', unitId, status: 'off_duty', at: t0 + 1 },
      { kind: 'unit.status', unitId, status: 'available', at: t0 + 2 },
      { kind: 'unit.status', unitId, status: 'offline', at: t0 + 3 },
    ]);
  }
  return out;
}

/** Round robin over the chains: one step of each in turn, so every chain's steps are far apart in the stream. */
function interleave(cs: InputMessage[][]): InputMessage[] {
  const out: InputMessage[] = [];
  for (let step = 0; out.length < cs.reduce((n, c) => n + c.length, 0); step++)
    for (const c of cs) if (c[step]) out.push(c[step]!);
  return out;
}

describe('per-entity order across hubs', () => {
  it('two hubs apply every case’s, sensor’s and unit’s inputs in the order written — also across a hand-over — and dead-letter nothing', async () => {
    const { ns, keys, redis } = await testRedis('order');
    try {
      const a = await startHub(ns, { hubId: 'order-a' });
      const b = await startHub(ns, { hubId: 'order-b' });
      hubs.push(a, b);
      const inputs = interleave(chains(now() - 60_000));
      const half = Math.floor(inputs.length / 2);
      // Each half in one MULTI: with the group shared, one hub would take the first half and the other the second
      // (accepts and filings) while the first was still applying the reports — 33 dead letters in a run before the fix.
      const write = async (slice: InputMessage[]) => {
        const multi = redis.multi();
        for (const input of slice) multi.xAdd(keys.inEvents, '*', asData(input));
        await multi.exec();
      };
      await write(inputs.slice(0, half));
      await waitFor('an applier', async () => (await isApplier(a)) || (await isApplier(b)));
      // The applier stops cleanly mid-stream: the other takes over (and a third joins) while the rest is written.
      const [leaving, staying] = (await isApplier(a)) ? [a, b] : [b, a];
      await waitFor('the first half under way', async () => Number(await redis.get(keys.logSeq)) > 50);
      await Promise.all([leaving.close(), write(inputs.slice(half))]);
      hubs = hubs.filter((h) => h !== leaving);
      hubs.push(await startHub(ns, { hubId: 'order-c' }));

      await waitFor(
        'every entry settled',
        async () => {
          const info = await redis.xInfoGroups(keys.inEvents);
          const group = info.find((g) => g.name === keys.ingestGroup);
          return (
            Number(group?.pending) === 0 &&
            group?.['last-delivered-id'] === (await redis.xRevRange(keys.inEvents, '+', '-', { COUNT: 1 }))?.[0]?.id
          );
        },
        30_000,
      );
      const letters = ((await redis.xRange(keys.deadletter, '-', '+')) ?? []).map(
        (e) => `${e.message.reason}: ${e.message.detail}`,
      );
      expect(letters).toEqual([]);
      await waitFor(
        'the staying hub’s mirror at the log head',
        async () => staying.app.world().seq === Number(await redis.get(keys.logSeq)),
      );
      const world = staying.app.world();
      const cases = [...world.cases.values()].filter((c) => c.id.startsWith('ORD-'));
      expect(cases).toHaveLength(60);
      expect(cases.filter((c) => c.status !== 'filed').map((c) => `${c.id} ${c.status}`)).toEqual([]);
      // Redis holds every sensor's latest reading (the log only the level changes): the last one written.
      for (let s = 0; s < 10; s++) expect(JSON.parse((await redis.hGet(keys.sensors, `S-${s}`))!).value).toBe(1.9);
      const units = [...world.units.values()].filter((u) => u.id.startsWith('ORD-U-'));
      expect(units.map((u) => u.status)).toEqual(Array.from({ length: 20 }, () => 'offline'));
    } finally {
      await redis.close();
    }
  }, 60_000);
});
