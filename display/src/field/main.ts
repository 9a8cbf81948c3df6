// First: zod must not probe eval under the hub's CSP (see the module).
import '../auth/strict-csp.ts';
import { mount } from 'svelte';
import type { HubConfig } from '@egret/protocol';
import { logIn } from '../auth/session-api.ts';
import { fetchHubConfig } from '../net/config.ts';
import type { FieldActions } from './field-actions.ts';
import FieldRoot from './FieldRoot.svelte';
import { FieldApp } from './field-app.svelte.ts';
import { fieldTranslate } from './i18n/field-i18n.svelte.ts';
import { pairDevice, httpTransport } from './net/field-api.ts';
import { openFieldDb, type FieldCredential, type FieldDb } from './net/field-db.ts';
import { OutboxRunner } from './outbox/runner.ts';
import { newTaskAlert, startSession, type FieldSession } from './session.ts';
import './field.css';

/** The city's config from the hub, or the copy kept from the last time (the app opens with no network). */
async function loadConfig(db: FieldDb): Promise<HubConfig> {
  for (;;) {
    try {
      const config = await fetchHubConfig();
      await db.saveConfig(config);
      return config;
    } catch (err) {
      const kept = await db.config();
      if (kept) return kept;
      const box = document.getElementById('app')!;
      box.textContent = fieldTranslate('zh', 'boot.failed', { reason: (err as Error).message });
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}

async function boot(target: HTMLElement): Promise<void> {
  // The app shell is cached by the service worker (public/field/sw.js) so the page opens with no network.
  if ('serviceWorker' in navigator)
    navigator.serviceWorker.register('/field/sw.js', { scope: '/field/' }).catch(() => undefined);
  const db = await openFieldDb();
  const settings = await db.settings();
  let credential = await db.credential();
  let pairFailure: string | null = null;

  // A pairing link (`/field/#pair=<code>`): the code is traded for this phone's device token, once.
  const pair = /(?:^#|&)pair=([^&]+)/.exec(location.hash);
  if (pair) {
    history.replaceState(null, '', location.pathname + location.search); // the code is single-use: out of the bar
    const r = await pairDevice(decodeURIComponent(pair[1]!), navigator.userAgent.slice(0, 64));
    if (r.ok) {
      credential = { kind: 'device', token: r.token, unitId: r.unitId, unitName: r.unitName };
      await db.setCredential(credential);
    } else pairFailure = r.message ? `${r.code}: ${r.message}` : r.code;
  }

  // A pairing link opened while the app is already open changes only the hash: start over to trade it.
  addEventListener('hashchange', () => {
    if (/(?:^#|&)pair=/.test(location.hash)) location.reload();
  });

  const config = await loadConfig(db);
  const app = new FieldApp({
    db,
    config,
    settings,
    credential,
    now: () => Date.now(),
    newKey: () => crypto.randomUUID(),
  });
  app.pairFailure = pairFailure;
  app.outbox = await db.outbox();
  app.onNewTask = newTaskAlert();
  setInterval(() => (app.now = Date.now()), 1_000);

  let session: FieldSession | null = null;
  const runner = new OutboxRunner({
    box: app.outbox,
    transport: httpTransport(db, () => app.credential),
    persistence: { save: (b) => db.saveOutbox(b), release: (keys) => db.deletePhotos(keys) },
    now: () => Date.now(),
    onChange: (b) => {
      app.outbox = b;
      session?.sendStatus();
    },
    onSettled: (_key, outcome) => {
      if (outcome.kind === 'refused') app.refusedNotice(outcome.refusal.code, outcome.refusal.message);
    },
  });
  app.runner = runner;
  addEventListener('online', () => runner.online());

  const start = (c: FieldCredential) => {
    session?.close();
    app.link = 'connecting'; // a new sign-in: the last session's link said nothing of this one
    session = startSession(app, c);
    void runner.kick();
  };
  if (credential) start(credential);

  const actions: FieldActions = {
    async logIn(user, password) {
      const r = await logIn({ user, password });
      if (!r.ok) return { ok: false, reason: r.message || r.error };
      const c: FieldCredential = { kind: 'inspector', name: user };
      await db.setCredential(c);
      app.credential = c;
      app.go({ name: 'report' });
      start(c);
      return { ok: true };
    },
    async logOut() {
      session?.close();
      session = null;
      if (app.credential?.kind === 'inspector')
        await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
      await db.setCredential(null);
      app.credential = null;
      app.me = null;
      app.tasks = [];
      app.verifications = [];
    },
    async setDuty(on) {
      await session?.setDuty(on);
    },
  };
  target.textContent = '';
  mount(FieldRoot, { target, props: { app, actions } });
  // For tests and support: plain facts, read-only.
  (globalThis as { __egretField?: unknown }).__egretField = {
    get pending() {
      return app.outbox.items.length;
    },
    get link() {
      return app.link;
    },
    taskSeenAt: (taskId: string) => app.taskSeenAt.get(taskId) ?? null,
    /** The phone's latest reading, [lon, lat], or null. */
    get position() {
      return app.position ? [app.position.lon, app.position.lat] : null;
    },
  };
}

void boot(document.getElementById('app')!);
