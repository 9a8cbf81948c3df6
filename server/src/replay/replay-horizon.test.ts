import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  redisKeys,
  screenSnapshot,
  SCREEN_KEEPS_FINISHED_MS,
  type Case,
  type LogEvent,
  type ReplayState,
  type Task,
} from '@egret/protocol';
import { loggedHistory } from '../../test/logged-history.ts';
import { testNamespace } from '../../../test/namespace.ts';
import { connectRedis, type Redis } from '../redis/connect.ts';
import type { HistoryWriter } from './history-writer.ts';
import { RedisHistory } from './redis-history.ts';
import { ReplayReader } from './replay-reader.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-09-14T00:00:00+08:00');
const DAYS = 4;
const actor = { role: 'system', id: 'horizon-test' } as const;

const aCase = (id: string, at: number, patch: Partial<Case> = {}): Case => ({
  id,
  category: { code: '04002', standard: 'GB/T 47678.5-2026', name: '行道树' },
  source: 'hotline',
  urgency: 'normal',
  position: [118.09, 24.46],
  address: '思明南路',
  district: '350203',
  status: 'reported',
  reportedAt: at,
  supervised: false,
  history: [{ to: 'reported', at, actor }],
  version: 1,
  ...patch,
});
const aTask = (id: string, caseId: string, at: number, patch: Partial<Task> = {}): Task => ({
  id,
  caseId,
  unitId: 'U1',
  squadId: 'S1',
  status: 'dispatched',
  createdAt: at,
  updatedAt: at,
  actor,
  version: 1,
  ...patch,
});

/** A log event before it has its place in the log. */
type Draft = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'seq'> : never) : never;

/**
 * Four days of a city, one case an hour: most are dispatched, done and closed within a few hours; every fifth is
 * rejected at once; and a few are the corner cases of the screen rule — a case closed in the first hours and
 * supervised again a day later (touched after it became final: its latest version is sent while it is kept), and a case still open whose task was declined on day 0 and that still
 * points at it (a finished task a kept case points at stays on screen however old).
 */
function fourDays(): LogEvent[] {
  const out: Draft[] = [];
  for (let h = 0; h < DAYS * 24; h++) {
    const at = T0 + h * HOUR;
    const id = `C${h}`;
    const c = aCase(id, at);
    out.push({ at, type: 'case.reported', case: c });
    if (h % 5 === 0) {
      const rejected = {
        ...c,
        status: 'rejected' as const,
        history: [...c.history, { to: 'rejected' as const, at: at + 60_000, actor }],
        version: 2,
      };
      out.push({ at: at + 60_000, type: 'case.transitioned', from: 'reported', to: 'rejected', actor, case: rejected });
      continue;
    }
    const task = aTask(`K${h}`, id, at + 600_000);
    const dispatched = { ...c, status: 'dispatched' as const, taskId: task.id, dispatchedAt: at + 600_000, version: 2 };
    out.push({
      at: at + 600_000,
      type: 'case.transitioned',
      from: 'reported',
      to: 'dispatched',
      actor,
      case: dispatched,
    });
    out.push({ at: at + 600_000, type: 'task.created', actor, task });
    if (h === 3) {
      // Declined, and the case left pointing at it: open for the whole four days.
      const declined = { ...task, status: 'declined' as const, updatedAt: at + 900_000, version: 2 };
      out.push({ at: at + 900_000, type: 'task.updated', from: 'dispatched', to: 'declined', actor, task: declined });
      continue;
    }
    const done = { ...task, status: 'done' as const, updatedAt: at + 2 * HOUR, version: 2 };
    out.push({ at: at + 2 * HOUR, type: 'task.updated', from: 'dispatched', to: 'done', actor, task: done });
    const closed = { ...dispatched, status: 'closed' as const, closedAt: at + 3 * HOUR, version: 3 };
    out.push({ at: at + 3 * HOUR, type: 'case.transitioned', from: 'dispatched', to: 'closed', actor, case: closed });
    if (h === 1) {
      const later = T0 + 30 * HOUR;
      out.push({
        at: later,
        type: 'case.amended',
        change: 'supervised',
        actor,
        case: { ...closed, supervised: true, supervisedAt: later, version: 4 },
      });
    }
  }
  return out.sort((a, b) => a.at - b.at).map((e, i) => ({ ...e, seq: i + 1 }) as LogEvent);
}

const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id).sort();

describe('replay state sent to a screen after days of history', () => {
  let redis: Redis;
  let writer: HistoryWriter;
  let reader: ReplayReader;
  const events = fourDays();
  const keys = redisKeys(testNamespace('horizon'));

  beforeAll(async () => {
    redis = await connectRedis(inject('redisUrl'));
    writer = await loggedHistory(redis, keys, events, {
      hubId: 'horizon-test',
      snapshotEveryEvents: 100,
      snapshotEveryMinutes: 120,
    });
    const history = new RedisHistory(redis, keys);
    reader = new ReplayReader({
      parts: [history],
      periods: () => history.periods(),
      cold: (a, b) => history.coldDeltas(a, b),
      live: () => ({ seq: events.at(-1)!.seq, at: events.at(-1)!.at }),
    });
  }, 90_000);
  afterAll(async () => {
    await writer?.stop();
    await redis?.close();
  });

  it('holds what a live screen held at each instant: the open, and what finished within the horizon', async () => {
    const coldDeltas = await new RedisHistory(redis, keys).coldDeltas(0, Number.MAX_SAFE_INTEGER);
    expect(coldDeltas.length).toBeGreaterThan(20); // many snapshots, each with its cold delta
    let dropped = 0;
    for (let i = 0; i < 24; i++) {
      const t = T0 + HOUR / 2 + (i / 24) * DAYS * 24 * HOUR + i * 97_000;
      const sent = JSON.parse((await reader.stateJson(t)).toString('utf8')) as ReplayState;
      const { world } = await reader.stateAt(t);
      const screen = screenSnapshot(world);
      expect(ids(sent.world.cases), `cases at ${new Date(t).toISOString()}`).toEqual(ids(screen.cases));
      expect(ids(sent.world.tasks), `tasks at ${new Date(t).toISOString()}`).toEqual(ids(screen.tasks));
      // Each entity as the live screen had it (the latest version, not an older cold one).
      const byId = new Map(screen.cases.map((c) => [c.id, c]));
      for (const c of sent.world.cases) expect(c).toEqual(byId.get(c.id));
      dropped += world.cases.size - sent.world.cases.length;
    }
    expect(dropped).toBeGreaterThan(0); // the horizon did drop something, or this test proves nothing
  });

  const sentAt = async (t: number) => {
    const sent = JSON.parse((await reader.stateJson(t)).toString('utf8')) as ReplayState;
    return {
      cases: new Map(sent.world.cases.map((c) => [c.id, c])),
      tasks: new Map(sent.world.tasks.map((x) => [x.id, x])),
    };
  };

  it('sends a case touched again after it became final in its latest version, until its close passes the horizon', async () => {
    expect((await sentAt(T0 + 35 * HOUR)).cases.get('C1')?.supervised).toBe(true); // closed at 04:00, supervised at 30 h
    expect((await sentAt(T0 + 29 * HOUR)).cases.get('C1')?.supervised).toBe(false);
    expect((await sentAt(T0 + 41 * HOUR)).cases.has('C1')).toBe(false); // 37 h after its close
  });

  it('keeps an open case’s long-declined task, and drops the old tasks of old closed cases', async () => {
    const t = T0 + (DAYS * 24 - 1) * HOUR;
    expect(t - SCREEN_KEEPS_FINISHED_MS).toBeGreaterThan(T0 + 2 * 24 * HOUR); // day 0 is past the horizon
    const { cases, tasks } = await sentAt(t);
    expect(cases.has('C2')).toBe(false);
    expect(tasks.has('K2')).toBe(false);
    expect(cases.get('C3')?.status).toBe('dispatched');
    expect(tasks.get('K3')?.status).toBe('declined');
  });
});
