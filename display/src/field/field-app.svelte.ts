/**
 * The field terminal's state: who this phone is, what the hub last pushed (tasks, verifications), the link, the
 * outbox, duty and position. Server data is replaced, never mutated; screens read it and call the actions here,
 * which put every action into the outbox first (offline first) and never talk to the hub themselves.
 */
import type { CategoryStandard, FieldTaskStep, HubConfig, PhotoRole } from '@egret/protocol';
import { FieldI18n } from './i18n/field-i18n.svelte.ts';
import type { FieldMessageKey } from './i18n/zh.ts';
import { emptyOutbox, type Outbox, type OutboxPhoto, type RefusedItem } from './outbox/queue.ts';
import type { OutboxRunner } from './outbox/runner.ts';
import type { FieldCredential, FieldDb, FieldSettings } from './net/field-db.ts';
import type { FieldCase, FieldMe, FieldStatePush, FieldTask } from './net/field-types.ts';
import type { PhonePosition } from './lib/fix-pacer.ts';
import { readWorld, worldTimeAt, type WorldReading } from './lib/world-clock.ts';

export type LinkState = 'connecting' | 'live' | 'offline';
/** What the header says of the link: no one signed in yet, the phone waits for that, not for the network. */
export type LinkShown = LinkState | 'signedOut';

/** Which screen the phone shows. */
export type FieldView =
  | { name: 'tasks' }
  | { name: 'task'; taskId: string }
  | { name: 'report' }
  | { name: 'verify' }
  | { name: 'verifyCase'; caseId: string }
  | { name: 'outbox' };

/** A photo taken on a screen, kept in IndexedDB until its action is sent. */
export interface TakenPhoto extends OutboxPhoto {
  /** An object URL of the blob, for the preview. */
  preview: string;
}

export interface FieldAppDeps {
  db: FieldDb;
  config: HubConfig;
  settings: FieldSettings;
  credential: FieldCredential | null;
  now: () => number;
  newKey: () => string;
}

export class FieldApp {
  readonly i18n: FieldI18n;
  readonly config: HubConfig;
  credential = $state.raw<FieldCredential | null>(null);
  me = $state.raw<FieldMe | null>(null);
  tasks = $state.raw<FieldTask[]>([]);
  verifications = $state.raw<FieldCase[]>([]);
  link = $state<LinkState>('connecting');
  outbox = $state.raw<Outbox>(emptyOutbox());
  settings = $state.raw<FieldSettings>({ locale: 'zh', onDuty: false, fixIntervalMs: 5_000 });
  view = $state.raw<FieldView>({ name: 'tasks' });
  position = $state.raw<PhonePosition | null>(null);
  positionError = $state<string | null>(null);
  /** A short message at the bottom of the screen (an action queued, a refusal). */
  notice = $state.raw<{ text: string; kind: 'info' | 'error' } | null>(null);
  /** Why a pairing link did not work, shown on the welcome screen. */
  pairFailure = $state<string | null>(null);
  /** The phone's clock, ticking each second (countdowns read `worldNow`). */
  now = $state(0);
  /** The world time the hub last told (a drill runs its own), or null before any. */
  world = $state.raw<WorldReading | null>(null);
  /** World time now, ticking with `now`: what task deadlines are counted against. */
  readonly worldNow = $derived(worldTimeAt(this.world, this.now));
  /** Tasks seen before, to tell a new one (bookkeeping, not shown: a plain set on purpose). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #seenTasks = new Set<string>();
  /** When each task first reached the phone (the debug hook reports it: the push's latency). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly taskSeenAt = new Map<string, number>();
  runner: OutboxRunner | null = null;
  /** Called when a new task arrives (sound, vibration: the boot wires the browser's). */
  onNewTask: () => void = () => undefined;

  readonly pending = $derived(this.outbox.items.length);
  readonly refused = $derived<RefusedItem[]>(this.outbox.refused);
  readonly linkShown = $derived<LinkShown>(this.credential ? this.link : 'signedOut');

  constructor(private readonly deps: FieldAppDeps) {
    this.config = deps.config;
    this.i18n = new FieldI18n(deps.settings.locale);
    this.settings = deps.settings;
    this.credential = deps.credential;
    this.now = deps.now();
    if (deps.credential?.kind === 'inspector') this.view = { name: 'report' };
  }

  t = (key: FieldMessageKey, params?: Readonly<Record<string, string | number>>) => this.i18n.t(key, params);

  /** The hub's push: replaces what the phone shows; tells a task not seen before. */
  receive(s: FieldStatePush): void {
    this.me = s.me;
    this.world = readWorld(s, this.deps.now());
    this.tasks = s.tasks;
    this.verifications = s.verifications;
    let fresh = false;
    for (const { task } of s.tasks) {
      if (!this.#seenTasks.has(task.id)) {
        if (task.status === 'dispatched') fresh = true;
        this.taskSeenAt.set(task.id, this.deps.now());
      }
      this.#seenTasks.add(task.id);
    }
    if (fresh) this.onNewTask();
  }

  task(taskId: string): FieldTask | undefined {
    return this.tasks.find((t) => t.task.id === taskId);
  }

  go(view: FieldView): void {
    this.view = view;
  }

  async setLocale(): Promise<void> {
    this.i18n.toggle();
    await this.saveSettings({ ...this.settings, locale: this.i18n.locale });
  }

  async saveSettings(s: FieldSettings): Promise<void> {
    this.settings = s;
    await this.deps.db.saveSettings(s);
  }

  /** A photo chosen on a screen: kept in IndexedDB at once, so a closed page does not lose it. */
  async takePhoto(file: Blob, role: PhotoRole): Promise<TakenPhoto> {
    const blobKey = `photo-${this.deps.newKey()}`;
    await this.deps.db.putPhoto(blobKey, file);
    const p = this.position;
    return {
      blobKey,
      role,
      at: this.deps.now(),
      ...(p ? { lon: p.lon, lat: p.lat } : {}),
      preview: URL.createObjectURL(file),
    };
  }

  async dropPhoto(photo: TakenPhoto): Promise<void> {
    URL.revokeObjectURL(photo.preview);
    await this.deps.db.deletePhotos([photo.blobKey]);
  }

  /** A task step, queued. */
  async progress(taskId: string, status: FieldTaskStep, o: { reason?: string; photos?: TakenPhoto[] } = {}) {
    await this.#enqueue(
      'task:progress',
      { taskId, status, ...(o.reason ? { reason: o.reason } : {}), at: this.deps.now() },
      o.photos ?? [],
    );
    this.#queued('task.queued');
  }

  /** A new case, queued. */
  async report(r: {
    category: { code: string; standard: CategoryStandard };
    lon: number;
    lat: number;
    address: string;
    description?: string;
    photos: TakenPhoto[];
  }): Promise<void> {
    const { photos, description, ...body } = r;
    await this.#enqueue(
      'case:report',
      { ...body, ...(description ? { description } : {}), at: this.deps.now() },
      photos,
    );
    this.#queued('report.queued');
  }

  /** A verification, queued. */
  async verify(caseId: string, outcome: 'confirm' | 'rework', photos: TakenPhoto[], reason?: string): Promise<void> {
    await this.#enqueue('case:verify', { caseId, outcome, ...(reason ? { reason } : {}), at: this.deps.now() }, photos);
    this.#queued('verify.queued');
  }

  async #enqueue(
    name: 'task:progress' | 'case:report' | 'case:verify',
    body: Record<string, unknown>,
    photos: TakenPhoto[],
  ) {
    const draft = {
      key: `${name}:${this.deps.newKey()}`,
      name,
      body,
      photos: photos.map(({ preview, ...p }) => {
        URL.revokeObjectURL(preview);
        return p;
      }),
    };
    await this.runner!.enqueue(draft);
  }

  /** Says an action waits in the outbox — only while the link is down: online it is sent at once, and shows. */
  #queued(key: FieldMessageKey): void {
    if (this.link !== 'live') this.notice = { text: this.t(key), kind: 'info' };
  }

  /** A refusal from the hub: shown with its reason (the outbox keeps it until dismissed). */
  refusedNotice(code: string, message: string): void {
    this.notice = { text: `${this.t('refusal.title')}：${this.i18n.refusal(code)}（${message}）`, kind: 'error' };
  }
}
