import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisKeys, type Case, type LogEvent } from '@egret/protocol';
import { caseLife, numbered, type DraftEvent } from '../../test/case-life.ts';
import { loggedHistory } from '../../test/logged-history.ts';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import type { HistoryWriter } from './history-writer.ts';
import { RedisHistory } from './redis-history.ts';
import { ReplayReader } from './replay-reader.ts';
import { decodeSnapshotBytes, decodeSnapshotText, type LazySnapshot } from './replay-snapshot.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-09-14T00:00:00+08:00');
const actor = { role: 'system', id: 'bytes-test' } as const;

/** Strings a snapshot's rows must come through unchanged: multi-byte, 4-byte, lone surrogates, separators, long. */
const ODD = [
  '行道树倒伏，思明南路',
  '🌀 台风 Meranti 🌊',
  'lone \uD83D high and \uDE00 low',
  'line\u2028para\u2029sep',
  'tab\there, newline\nthere, nul\u0000, bell\u0007',
  '"quoted" \\ back\\slash',
  '',
  'x'.repeat(100_000),
  'é'.repeat(5_000) + '中'.repeat(5_000),
];

describe('a snapshot read from bytes (decodeSnapshotBytes) is the snapshot read from text', () => {
  const row = (kind: 'c' | 't', id: string, json: string) => `${kind}\t${id}\t${json}`;
  const texts = [
    '{"world":{"seq":0},"kpi":{}}', // no rows, no newline
    '{"world":{"seq":1,"name":"厦门"},"kpi":{"a":1}}\n' + row('c', 'C1', '{}'),
    [
      '{"world":{"seq":9},"kpi":{}}',
      ...ODD.map((s, i) => row('c', `C${i}`, JSON.stringify({ id: `C${i}`, description: s }))),
      row('c', '案件-中文', '{"id":"案件-中文"}'),
      row('c', 'C🌀', '{"id":"C🌀"}'),
      row('c', '', '{"id":""}'), // an empty id
      row('t', 'T1', '{"id":"T1","caseId":"C1"}'),
      row('c', 'C1', '{"id":"C1","v":2}'), // an id again: the last row wins, in the first one's place
      row('t', 'T2', '{"id":"T2","note":"\\u2028 🌀"}'),
    ].join('\n'),
  ];

  it.each(texts.map((t, i) => [i, t] as const))('text %i: the same head, ids, order and rows', (_i, text) => {
    const bytes = Buffer.from(text);
    const want = decodeSnapshotText(bytes.toString('utf8'));
    const got = decodeSnapshotBytes(bytes);
    expect(got.world).toEqual(want.world);
    expect(got.kpi).toEqual(want.kpi);
    for (const kind of ['cases', 'tasks'] as const) {
      const rows = got.rowBytes![kind];
      expect([...rows.keys()]).toEqual([...want[kind].keys()]);
      for (const [id, b] of rows) expect(b.toString('utf8'), id).toBe(want[kind].get(id));
      // The text, decoded on first use, is the text's.
      expect([...got[kind].entries()]).toEqual([...want[kind].entries()]);
    }
  });

  it('a lone surrogate: stored as U+FFFD (what Buffer.from wrote), the bytes decode to what the text held', () => {
    const text = `{"world":{},"kpi":{}}\n${row('c', 'C1', JSON.stringify({ d: '\uD83D' }))}`;
    const got = decodeSnapshotBytes(Buffer.from(text));
    expect(got.rowBytes!.cases.get('C1')!.toString('utf8')).toBe(decodeSnapshotText(text).cases.get('C1'));
  });
});

/** A day of cases with odd descriptions and addresses: reported, dispatched, some closed, some amended later. */
function oddDay(): LogEvent[] {
  const out: DraftEvent[] = [];
  for (let i = 0; i < 60; i++) {
    const at = T0 + i * 20 * 60_000;
    const odd = ODD[i % ODD.length]!;
    const c: Case = {
      id: i % 5 === 0 ? `案${i}🌀` : `B${i}`,
      category: { code: '04002', standard: 'GB/T 47678.5-2026', name: '行道树' },
      source: 'hotline',
      urgency: 'normal',
      position: [118.09, 24.46],
      address: odd.slice(0, 200),
      district: '350203',
      description: odd,
      status: 'reported',
      reportedAt: at,
      supervised: false,
      history: [{ to: 'reported', at, actor }],
      photos: [],
      version: 1,
    };
    // Every third stays open, its task under way.
    out.push(...caseLife(c, at, actor, `R${i}`, i % 3 === 0 ? 'under way' : 'closed'));
  }
  return numbered(out);
}

/** Redis history whose snapshots refuse to be decoded as text: a seek that needs only their bytes never asks. */
class BytesOnlyHistory extends RedisHistory {
  decoded = 0;
  override async loadSnapshot(seq: number): Promise<LazySnapshot | undefined> {
    const s = await super.loadSnapshot(seq);
    if (!s) return s;
    const refuse = () => {
      this.decoded++;
      throw new Error('the snapshot text was decoded');
    };
    return {
      world: s.world,
      kpi: s.kpi,
      rowBytes: s.rowBytes!,
      get cases(): LazySnapshot['cases'] {
        return refuse();
      },
      get tasks(): LazySnapshot['tasks'] {
        return refuse();
      },
    };
  }
}

describe('the open part joined from the snapshot rows as stored bytes (openFromBytes)', () => {
  let redis: Redis;
  let writer: HistoryWriter;
  const events = oddDay();
  const keys = redisKeys(testNamespace('snapbytes'));
  const live = () => ({ seq: events.at(-1)!.seq, at: events.at(-1)!.at });

  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
    writer = await loggedHistory(redis, keys, events, {
      hubId: 'bytes-test',
      snapshotEveryEvents: 25,
      snapshotEveryMinutes: 60,
    });
  }, 90_000);
  afterAll(async () => {
    await writer?.stop();
    await redis?.close();
  });

  it('answers every part byte for byte as from the text, and never decodes the snapshot text to do it', async () => {
    const history = new RedisHistory(redis, keys);
    const bytesOnly = new BytesOnlyHistory(redis, keys);
    const reader = (h: RedisHistory, openFromBytes: boolean) =>
      new ReplayReader({
        parts: [h],
        periods: () => h.periods(),
        cold: (a, b) => h.coldDeltas(a, b),
        live,
        openFromBytes,
      });
    const before = reader(history, false);
    const after = reader(bytesOnly, true);
    let openRows = 0;
    for (let k = 0; k < 16; k++) {
      const t = T0 + HOUR / 3 + (k / 16) * 22 * HOUR + k * 41_000;
      for (const part of ['open', 'all', 'finished'] as const) {
        const want = (await before.stateJson(t, part)).toString('utf8');
        expect((await after.stateJson(t, part)).toString('utf8'), `${new Date(t).toISOString()} ${part}`).toBe(want);
        if (part === 'open')
          openRows = Math.max(openRows, (JSON.parse(want) as { world: { cases: [] } }).world.cases.length);
      }
    }
    // A case opened on the screen (`caseAt`): the same case and tasks, without decoding the snapshot's text either.
    let opened = 0;
    for (let k = 0; k < 8; k++) {
      const t = T0 + HOUR + k * 2.7 * HOUR;
      for (const id of ['B1', 'B2', '案0🌀', '案5🌀', 'B7', 'B58', 'nope']) {
        const want = await before.caseAt(t, id);
        expect(await after.caseAt(t, id), `${new Date(t).toISOString()} ${id}`).toEqual(want);
        if (want) opened++;
      }
    }
    expect(opened).toBeGreaterThan(20);
    expect(openRows).toBeGreaterThan(5); // the snapshots really held open rows with the odd strings
    expect(bytesOnly.decoded).toBe(0);
    // The same reader's other questions still have the text (decoded on first use) where they need it.
    const plain = reader(history, true);
    const t = T0 + 12 * HOUR;
    expect(await plain.stateAt(t)).toEqual(await before.stateAt(t));
  });

  it('an overtaken snapshot text: the same answer asked twice, and asked after the text was decoded', async () => {
    const history = new RedisHistory(redis, keys);
    const r = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      live,
      cold: (a, b) => history.coldDeltas(a, b),
    });
    const base = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      live,
      cold: (a, b) => history.coldDeltas(a, b),
      openFromBytes: false,
    });
    const t = T0 + 9 * HOUR + 7_000;
    const want = (await base.stateJson(t, 'open')).toString('utf8');
    expect((await r.stateJson(t, 'open')).toString('utf8')).toBe(want);
    expect((await r.stateJson(t, 'open')).toString('utf8')).toBe(want); // the fold shared: the same rows again
    await r.stateAt(t); // decodes the cached snapshot's text
    expect((await r.stateJson(t + 1, 'open')).toString('utf8')).toBe(
      (await base.stateJson(t + 1, 'open')).toString('utf8'),
    );
  });
});
