/**
 * The field terminal's outbox, as pure functions of its state (no IndexedDB, no network, time passed in): every action
 * a person takes on the phone — a task step, a report, a verification — is put here first with its idempotency key,
 * and sent in the order it was taken when the link allows. An action carrying photos uploads them first (the hub
 * stores them by content, so an upload repeated after a lost answer is harmless), then sends the command naming them
 * (the hub's idempotency key makes a command repeated after a lost answer answer its first result without applying
 * twice). A refused action leaves the queue with its reason, for the person to read; a failed send (no link, the hub
 * down or busy) stays at the head and is tried again later, so nothing behind it overtakes it.
 *
 * `outbox-store.ts` keeps this state in IndexedDB; `runner.ts` drives it against the hub.
 */
import type { PhotoRef, PhotoRole } from '@egret/protocol';

/** The commands of the field terminal (issue #16, contract item 7). */
export type FieldCommandName = 'task:progress' | 'case:report' | 'case:verify';

/** A photo an action carries, waiting in IndexedDB under `blobKey` until it is uploaded. */
export interface OutboxPhoto {
  blobKey: string;
  role: PhotoRole;
  /** When it was taken (world epoch ms). */
  at: number;
  lon?: number;
  lat?: number;
  /** The hub's id of the stored photo, once uploaded. */
  id?: string;
}

/** One action waiting to be sent. */
export interface OutboxItem {
  /** Order of taking: the queue sends the smallest first. */
  seq: number;
  /** The command's idempotency key: the same on every attempt. */
  key: string;
  name: FieldCommandName;
  /** The command's body without `photos` and `idempotencyKey` (the queue adds them). */
  body: Record<string, unknown>;
  photos: OutboxPhoto[];
  createdAt: number;
  /** Failed attempts since the last progress. */
  attempts: number;
  /** Not tried again before this (real epoch ms). */
  notBefore: number;
  lastError?: string;
}

/** Why the hub refused an action, as the phone shows it. */
export interface OutboxRefusal {
  code: string;
  message: string;
}

/** An action the hub refused: out of the queue, kept for the person to read until they dismiss it. */
export interface RefusedItem extends OutboxItem {
  refusal: OutboxRefusal;
  refusedAt: number;
}

export interface Outbox {
  /** Waiting, in order of `seq`. */
  items: OutboxItem[];
  /** Refused, newest last. */
  refused: RefusedItem[];
  /** The next `seq` to hand out. */
  nextSeq: number;
}

export const emptyOutbox = (): Outbox => ({ items: [], refused: [], nextSeq: 1 });

/** An action as a screen hands it over. */
export interface OutboxDraft {
  key: string;
  name: FieldCommandName;
  body: Record<string, unknown>;
  photos?: OutboxPhoto[];
}

/** Puts an action at the end of the queue. A key already waiting is not queued twice (a double tap). */
export function enqueue(box: Outbox, draft: OutboxDraft, now: number): Outbox {
  if (box.items.some((i) => i.key === draft.key)) return box;
  const item: OutboxItem = {
    seq: box.nextSeq,
    key: draft.key,
    name: draft.name,
    body: draft.body,
    photos: draft.photos ?? [],
    createdAt: now,
    attempts: 0,
    notBefore: 0,
  };
  return { ...box, items: [...box.items, item], nextSeq: box.nextSeq + 1 };
}

/** What to do next: nothing, wait for a retry time, upload the head's next photo, or send the head's command. */
export type OutboxStep =
  | { kind: 'idle' }
  | { kind: 'wait'; until: number }
  | { kind: 'upload'; key: string; index: number; photo: OutboxPhoto }
  | { kind: 'send'; key: string; name: FieldCommandName; payload: Record<string, unknown> };

/** The next step of the queue: only its head moves, so actions reach the hub in the order they were taken. */
export function nextStep(box: Outbox, now: number): OutboxStep {
  const head = box.items[0];
  if (!head) return { kind: 'idle' };
  if (head.notBefore > now) return { kind: 'wait', until: head.notBefore };
  const index = head.photos.findIndex((p) => !p.id);
  if (index >= 0) return { kind: 'upload', key: head.key, index, photo: head.photos[index]! };
  return { kind: 'send', key: head.key, name: head.name, payload: commandPayload(head) };
}

/** The command as sent: its body, the photos' references (ids from their uploads) and its idempotency key. */
export function commandPayload(item: OutboxItem): Record<string, unknown> {
  const photos: PhotoRef[] = item.photos.map((p) => ({ id: p.id!, role: p.role, at: p.at }));
  return { ...item.body, ...(photos.length ? { photos } : {}), idempotencyKey: item.key };
}

/** How one step ended. */
export type StepOutcome =
  | { kind: 'uploaded'; index: number; id: string }
  | { kind: 'sent' }
  | { kind: 'refused'; refusal: OutboxRefusal }
  | { kind: 'failed'; error: string };

/** Backoff after the n-th failed attempt in a row: 1 s, 2 s, 4 s … at most 30 s. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempts - 1));
}

/** The queue after one step of the item `key` ended; also the photo blobs no longer needed (sent or refused). */
export function settle(
  box: Outbox,
  key: string,
  outcome: StepOutcome,
  now: number,
): { box: Outbox; release: string[] } {
  const at = box.items.findIndex((i) => i.key === key);
  if (at < 0) return { box, release: [] }; // already settled (a late answer after a dismissal)
  const item = box.items[at]!;
  const rest = box.items.filter((_, j) => j !== at);
  const blobs = item.photos.map((p) => p.blobKey);
  switch (outcome.kind) {
    case 'uploaded': {
      const photos = item.photos.map((p, j) => (j === outcome.index ? { ...p, id: outcome.id } : p));
      const next = { ...item, photos, attempts: 0, notBefore: 0, lastError: undefined };
      return { box: { ...box, items: box.items.map((i, j) => (j === at ? next : i)) }, release: [] };
    }
    case 'sent':
      return { box: { ...box, items: rest }, release: blobs };
    case 'refused': {
      const refused: RefusedItem = { ...item, refusal: outcome.refusal, refusedAt: now };
      return { box: { ...box, items: rest, refused: [...box.refused, refused] }, release: blobs };
    }
    case 'failed': {
      const attempts = item.attempts + 1;
      const next = { ...item, attempts, notBefore: now + backoffMs(attempts), lastError: outcome.error };
      return { box: { ...box, items: box.items.map((i, j) => (j === at ? next : i)) }, release: [] };
    }
  }
}

/** The link is back: try the head at once instead of waiting out its backoff. */
export function retryNow(box: Outbox): Outbox {
  if (!box.items.some((i) => i.notBefore > 0)) return box;
  return { ...box, items: box.items.map((i) => ({ ...i, notBefore: 0 })) };
}

/** The person has read a refusal: it goes. */
export function dismiss(box: Outbox, key: string): Outbox {
  return { ...box, refused: box.refused.filter((r) => r.key !== key) };
}

/** HTTP statuses that mean "try again later" rather than "no". */
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * How a hub's HTTP answer ends a step. 2xx: done; no answer, 408/425/429 or a 5xx: failed, tried again; any other
 * 4xx: refused with the hub's code and message (`{ ok: false, refusal: { code, message } }` from the field commands,
 * `{ error, message }` from the photo and auth routes).
 */
export function outcomeOf(
  status: number,
  body: unknown,
): { kind: 'ok'; body: unknown } | { kind: 'refused'; refusal: OutboxRefusal } | { kind: 'failed'; error: string } {
  const b = (body ?? {}) as {
    ok?: boolean;
    refusal?: { code?: unknown; message?: unknown };
    error?: unknown;
    message?: unknown;
  };
  if (status >= 200 && status < 300 && b.ok !== false) return { kind: 'ok', body };
  const code = String(b.refusal?.code ?? b.error ?? `http_${status}`);
  const message = String(b.refusal?.message ?? b.message ?? `the hub answered ${status}`);
  if (status === 0 || TRANSIENT.has(status)) return { kind: 'failed', error: `${code}: ${message}` };
  return { kind: 'refused', refusal: { code, message } };
}
