import { describe, expect, it } from 'vitest';
import { emptyOutbox, type Outbox, type OutboxPhoto } from './queue.ts';
import { OutboxRunner, type HubAnswer } from './runner.ts';

/**
 * A scripted hub: answers each request with the next of `answers` (a thrown error is a lost link), and records what
 * reached it. It keeps what a real hub keeps — applied keys — so a repeated command is seen, not applied twice.
 */
function scriptedHub(answers: Array<HubAnswer | Error>) {
  const seen: string[] = [];
  const applied: string[] = [];
  const next = async (what: string, ok: HubAnswer): Promise<HubAnswer> => {
    seen.push(what);
    const a = answers.shift() ?? ok;
    if (a instanceof Error) throw a;
    return a;
  };
  return {
    seen,
    applied,
    transport: {
      upload: (p: OutboxPhoto) => next(`upload ${p.blobKey}`, { status: 201, body: { id: p.blobKey.padEnd(64, '0') } }),
      async send(name: string, payload: Record<string, unknown>) {
        const a = await next(`${name} ${String(payload.status ?? '')}`, { status: 200, body: { ok: true } });
        const key = String(payload.idempotencyKey);
        if (a.status === 200 && !applied.includes(key)) applied.push(key);
        return a;
      },
    },
  };
}

function runner(hub: ReturnType<typeof scriptedHub>, box: Outbox = emptyOutbox()) {
  let now = 0;
  const saved: Outbox[] = [];
  const released: string[] = [];
  const timers: Array<{ ms: number; fn: () => void }> = [];
  const settled: Array<[string, string]> = [];
  const r = new OutboxRunner({
    box,
    transport: hub.transport,
    persistence: {
      save: async (b) => void saved.push(b),
      release: async (keys) => void released.push(...keys),
    },
    now: () => now,
    schedule: (ms, fn) => {
      timers.push({ ms, fn });
      return () => undefined;
    },
    onSettled: (key, outcome) => settled.push([key, outcome.kind]),
  });
  return {
    r,
    saved,
    released,
    timers,
    settled,
    advance(ms: number) {
      now += ms;
    },
  };
}

const progress = (key: string, status: string, photos: OutboxPhoto[] = []) => ({
  key,
  name: 'task:progress' as const,
  body: { taskId: 'T-1', status, at: 1 },
  photos,
});

describe(OutboxRunner.name, () => {
  it('sends queued actions in order, photos before the command that names them, saving after each step', async () => {
    const hub = scriptedHub([]);
    const t = runner(hub);
    await t.r.enqueue(progress('k1', 'accepted'));
    await t.r.enqueue(progress('k2', 'done', [{ blobKey: 'p1', role: 'after', at: 1 }]));
    await t.r.kick();
    expect(hub.seen).toEqual(['task:progress accepted', 'upload p1', 'task:progress done']);
    expect(hub.applied).toEqual(['k1', 'k2']);
    expect(t.r.box.items).toEqual([]);
    expect(t.released).toEqual(['p1']);
    expect(t.settled).toEqual([
      ['k1', 'sent'],
      ['k2', 'sent'],
    ]);
    expect(t.saved.at(-1)!.items).toEqual([]);
  });

  it('keeps everything while the link is down, then sends it once, in order, when the link returns', async () => {
    const offline = new Error('Failed to fetch');
    const hub = scriptedHub([offline, offline]);
    const t = runner(hub);
    await t.r.enqueue(progress('k1', 'accepted'));
    await t.r.enqueue(progress('k2', 'en_route'));
    await t.r.kick();
    expect(t.timers.at(-1)!.ms).toBe(1_000);
    t.advance(1_000);
    await t.r.kick();
    expect(t.r.box.items.map((i) => i.key)).toEqual(['k1', 'k2']);
    expect(hub.applied).toEqual([]);
    expect(t.r.box.items[0]).toMatchObject({ attempts: 2, lastError: 'network: Failed to fetch' });
    expect(t.timers.at(-1)!.ms).toBe(2_000);
    t.r.online();
    await t.r.kick();
    expect(hub.applied).toEqual(['k1', 'k2']);
    expect(t.r.box.items).toEqual([]);
  });

  it('re-sends a command whose answer was lost with the same key, which the hub applies once', async () => {
    const hub = scriptedHub([]);
    // The hub applied k1 but the answer never came back: the runner sees a lost link and tries again.
    hub.transport.send = ((send) => async (name: string, payload: Record<string, unknown>) => {
      const a = await send(name, payload);
      if (hub.seen.length === 1) throw new Error('connection reset');
      return a;
    })(hub.transport.send);
    const t = runner(hub);
    await t.r.enqueue(progress('k1', 'accepted'));
    await t.r.kick();
    expect(t.r.box.items).toHaveLength(1);
    t.r.online();
    await t.r.kick();
    expect(hub.seen).toEqual(['task:progress accepted', 'task:progress accepted']);
    expect(hub.applied).toEqual(['k1']);
    expect(t.r.box.items).toEqual([]);
  });

  it('shows a refused action with its reason, takes it out and goes on with the next', async () => {
    const hub = scriptedHub([
      { status: 409, body: { ok: false, refusal: { code: 'illegal_step', message: 'the task is not en route' } } },
    ]);
    const t = runner(hub);
    await t.r.enqueue(progress('k1', 'on_scene'));
    await t.r.enqueue(progress('k2', 'accepted'));
    await t.r.kick();
    expect(t.r.box.refused).toMatchObject([{ key: 'k1', refusal: { code: 'illegal_step' } }]);
    expect(hub.applied).toEqual(['k2']);
    expect(t.settled).toEqual([
      ['k1', 'refused'],
      ['k2', 'sent'],
    ]);
    await t.r.dismiss('k1');
    expect(t.r.box.refused).toEqual([]);
  });

  it('refuses the whole action when its photo is refused, and never sends its command', async () => {
    const hub = scriptedHub([{ status: 415, body: { error: 'not_an_image', message: 'not an image' } }]);
    const t = runner(hub);
    await t.r.enqueue(progress('k1', 'done', [{ blobKey: 'p1', role: 'after', at: 1 }]));
    await t.r.kick();
    expect(hub.seen).toEqual(['upload p1']);
    expect(t.r.box.refused).toMatchObject([{ key: 'k1', refusal: { code: 'not_an_image' } }]);
    expect(t.released).toEqual(['p1']);
  });

  it('retries after a busy hub (429, 503) rather than dropping the action', async () => {
    const hub = scriptedHub([
      { status: 429, body: { error: 'rate_limited', message: 'slow down' } },
      { status: 503, body: null },
    ]);
    const t = runner(hub);
    await t.r.enqueue(progress('k1', 'accepted'));
    await t.r.kick();
    expect(t.r.box.items).toHaveLength(1);
    t.advance(1_000);
    await t.r.kick();
    expect(t.r.box.items[0]!.attempts).toBe(2);
    t.advance(2_000);
    await t.r.kick();
    expect(hub.applied).toEqual(['k1']);
  });
});
