import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  dismiss,
  emptyOutbox,
  enqueue,
  nextStep,
  outcomeOf,
  retryNow,
  settle,
  type Outbox,
  type OutboxDraft,
} from './queue.ts';

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);

const step = (key: string, status: string): OutboxDraft => ({
  key,
  name: 'task:progress',
  body: { taskId: 'T-1', status, at: 1_000 },
});

const handled = (key: string): OutboxDraft => ({
  key,
  name: 'task:progress',
  body: { taskId: 'T-1', status: 'done', at: 2_000 },
  photos: [
    { blobKey: 'blob-before', role: 'before', at: 1_500 },
    { blobKey: 'blob-after', role: 'after', at: 1_900 },
  ],
});

function queue(...drafts: OutboxDraft[]): Outbox {
  return drafts.reduce((box, d) => enqueue(box, d, 0), emptyOutbox());
}

describe(enqueue.name, () => {
  it('keeps actions in the order they were taken, numbered', () => {
    const box = queue(step('k1', 'accepted'), step('k2', 'en_route'), step('k3', 'on_scene'));
    expect(box.items.map((i) => [i.seq, i.key])).toEqual([
      [1, 'k1'],
      [2, 'k2'],
      [3, 'k3'],
    ]);
  });

  it('does not queue the same key twice (a double tap)', () => {
    const box = queue(step('k1', 'accepted'), step('k1', 'accepted'));
    expect(box.items).toHaveLength(1);
  });
});

describe(nextStep.name, () => {
  it('is idle on an empty queue', () => {
    expect(nextStep(emptyOutbox(), 0)).toEqual({ kind: 'idle' });
  });

  it('uploads an action’s photos first, one by one, then sends the command naming them with its key', () => {
    let box = queue(handled('k1'));
    const first = nextStep(box, 0);
    expect(first).toMatchObject({ kind: 'upload', key: 'k1', index: 0, photo: { blobKey: 'blob-before' } });
    box = settle(box, 'k1', { kind: 'uploaded', index: 0, id: ID_B }, 0).box;
    expect(nextStep(box, 0)).toMatchObject({ kind: 'upload', index: 1, photo: { blobKey: 'blob-after' } });
    box = settle(box, 'k1', { kind: 'uploaded', index: 1, id: ID_A }, 0).box;
    expect(nextStep(box, 0)).toEqual({
      kind: 'send',
      key: 'k1',
      name: 'task:progress',
      payload: {
        taskId: 'T-1',
        status: 'done',
        at: 2_000,
        photos: [
          { id: ID_B, role: 'before', at: 1_500 },
          { id: ID_A, role: 'after', at: 1_900 },
        ],
        idempotencyKey: 'k1',
      },
    });
  });

  it('moves only the head: a later action never overtakes one still failing', () => {
    let box = queue(step('k1', 'accepted'), step('k2', 'en_route'));
    box = settle(box, 'k1', { kind: 'failed', error: 'network' }, 10_000).box;
    expect(nextStep(box, 10_500)).toEqual({ kind: 'wait', until: 11_000 });
    expect(nextStep(box, 11_000)).toMatchObject({ kind: 'send', key: 'k1' });
  });
});

describe(settle.name, () => {
  it('removes a sent action and releases its photos', () => {
    let box = queue(handled('k1'), step('k2', 'accepted'));
    box = settle(box, 'k1', { kind: 'uploaded', index: 0, id: ID_A }, 0).box;
    box = settle(box, 'k1', { kind: 'uploaded', index: 1, id: ID_B }, 0).box;
    const { box: after, release } = settle(box, 'k1', { kind: 'sent' }, 0);
    expect(after.items.map((i) => i.key)).toEqual(['k2']);
    expect(release).toEqual(['blob-before', 'blob-after']);
  });

  it('keeps an uploaded photo’s id across a failed send, so a retry does not upload it again', () => {
    let box = queue(handled('k1'));
    box = settle(box, 'k1', { kind: 'uploaded', index: 0, id: ID_A }, 0).box;
    box = settle(box, 'k1', { kind: 'failed', error: 'network' }, 0).box;
    expect(nextStep(box, 60_000)).toMatchObject({ kind: 'upload', index: 1 });
  });

  it('takes a refused action out of the queue with its reason, and the next one goes', () => {
    let box = queue(step('k1', 'on_scene'), step('k2', 'done'));
    const r = settle(box, 'k1', { kind: 'refused', refusal: { code: 'illegal_step', message: 'not en route' } }, 5);
    box = r.box;
    expect(box.items.map((i) => i.key)).toEqual(['k2']);
    expect(box.refused).toMatchObject([{ key: 'k1', refusal: { code: 'illegal_step' }, refusedAt: 5 }]);
    expect(nextStep(box, 5)).toMatchObject({ kind: 'send', key: 'k2' });
    expect(dismiss(box, 'k1').refused).toEqual([]);
  });

  it('backs off more after each failure in a row, up to 30 s, and starts over after progress', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    let box = queue(handled('k1'));
    for (let n = 0; n < 3; n++) box = settle(box, 'k1', { kind: 'failed', error: 'x' }, 0).box;
    expect(box.items[0]).toMatchObject({ attempts: 3, notBefore: 4_000, lastError: 'x' });
    box = settle(box, 'k1', { kind: 'uploaded', index: 0, id: ID_A }, 0).box;
    expect(box.items[0]).toMatchObject({ attempts: 0, notBefore: 0 });
  });

  it('ignores an answer for an action no longer queued', () => {
    const box = queue(step('k1', 'accepted'));
    expect(settle(box, 'gone', { kind: 'sent' }, 0).box).toBe(box);
  });

  it('retries at once when the link returns', () => {
    let box = queue(step('k1', 'accepted'));
    box = settle(box, 'k1', { kind: 'failed', error: 'offline' }, 100).box;
    expect(nextStep(retryNow(box), 100)).toMatchObject({ kind: 'send', key: 'k1' });
  });
});

describe(outcomeOf.name, () => {
  it('reads a success', () => {
    expect(outcomeOf(200, { ok: true, result: {} })).toMatchObject({ kind: 'ok' });
    expect(outcomeOf(201, { id: ID_A })).toMatchObject({ kind: 'ok' });
  });

  it('reads the field commands’ refusal and the photo routes’ refusal alike', () => {
    expect(outcomeOf(409, { ok: false, refusal: { code: 'illegal_step', message: 'no' } })).toEqual({
      kind: 'refused',
      refusal: { code: 'illegal_step', message: 'no' },
    });
    expect(outcomeOf(415, { error: 'not_an_image', message: 'not a JPEG, PNG or WebP' })).toEqual({
      kind: 'refused',
      refusal: { code: 'not_an_image', message: 'not a JPEG, PNG or WebP' },
    });
    expect(outcomeOf(401, { ok: false, error: 'revoked', message: 'this device was unpaired' })).toMatchObject({
      kind: 'refused',
      refusal: { code: 'revoked' },
    });
    expect(outcomeOf(200, { ok: false, refusal: { code: 'x', message: 'y' } })).toMatchObject({ kind: 'refused' });
  });

  it('treats no answer, a busy or a broken hub as "try again"', () => {
    for (const status of [0, 408, 429, 500, 502, 503, 504])
      expect(outcomeOf(status, null).kind, `status ${status}`).toBe('failed');
    expect(outcomeOf(404, 'Not Found')).toEqual({
      kind: 'refused',
      refusal: { code: 'http_404', message: 'the hub answered 404' },
    });
  });
});
