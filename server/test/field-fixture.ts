import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { io as connectClient, type Socket } from 'socket.io-client';
import { loadConfig } from '@egret/config';
import {
  FIELD_NAMESPACE,
  type FieldAnswer,
  type FieldClientToServerEvents,
  type FieldServerToClientEvents,
  type FieldState,
  type PhotoRef,
} from '@egret/protocol';
import type { AppDeps } from '../src/app.ts';
import { startAuthHub, type AuthHub } from './auth-fixture.ts';

/** Fixtures of the field terminal's tests (issue #16): a hub in required mode with a photo folder, phones, photos. */

export type FieldSocket = Socket<FieldServerToClientEvents, FieldClientToServerEvents>;

export interface FieldHub extends AuthHub {
  /** Closes the hub and removes its photo folder. */
  closeField(): Promise<void>;
}

/** A hub that requires accounts, its photos in a temporary folder, presence logged 100 ms after it settles. */
export async function startFieldHub(label: string, over: Partial<Omit<AppDeps, 'redis'>> = {}): Promise<FieldHub> {
  const dir = mkdtempSync(join(tmpdir(), `egret-${label}-`));
  const base = loadConfig();
  const config = { ...base, settings: { ...base.settings, photos: { ...base.settings.photos, dir } } };
  const hub = await startAuthHub(label, { config, fieldPresenceDebounceMs: 100, ...over });
  return {
    ...hub,
    async closeField() {
      await hub.closeAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A phone on `/field`: a device token, or an inspector's cookie; records every `field:state` it gets. */
export class Phone {
  readonly socket: FieldSocket;
  readonly states: FieldState[] = [];
  ended?: { code: string; message: string };

  constructor(url: string, o: { token?: string; cookie?: string; origin?: string } = {}) {
    const extraHeaders: Record<string, string> = {};
    if (o.cookie) extraHeaders.cookie = o.cookie;
    if (o.origin) extraHeaders.origin = o.origin;
    this.socket = connectClient(`${url}${FIELD_NAMESPACE}`, {
      transports: ['websocket'],
      extraHeaders,
      auth: o.token ? { token: o.token } : {},
      reconnection: false,
      forceNew: true,
    });
    this.socket.on('field:state', (s) => this.states.push(s));
    this.socket.on('field:ended', (e) => (this.ended = e));
  }

  get state(): FieldState | undefined {
    return this.states.at(-1);
  }

  /** 'connected', or the `connect_error` message. */
  outcome(timeoutMs = 5_000): Promise<string> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error('the phone neither connected nor was refused')), timeoutMs);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        done('connected');
      });
      this.socket.once('connect_error', (err) => {
        clearTimeout(timer);
        done(err.message);
      });
    });
  }

  /** Sends a field command (a fresh idempotency key and `at` unless given) and waits for its answer. */
  send(name: string, payload: Record<string, unknown>): Promise<FieldAnswer<Record<string, unknown>>> {
    const emit = this.socket.timeout(10_000).emitWithAck.bind(this.socket) as unknown as (
      e: string,
      a: unknown,
    ) => Promise<FieldAnswer<Record<string, unknown>>>;
    return emit(name, { idempotencyKey: randomUUID(), at: Date.now(), ...payload });
  }

  close(): void {
    this.socket.close();
  }
}

/** `POST /api/field/commands/<name>` with these headers. */
export async function postField(
  url: string,
  name: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; answer: FieldAnswer<Record<string, unknown>> }> {
  const res = await fetch(`${url}/api/field/commands/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, answer: (await res.json()) as FieldAnswer<Record<string, unknown>> };
}

/** A JSON request to the hub; answers the status and the parsed body. */
export async function call(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

let shade = 0;
/** Uploads a real JPEG (a different one each call) and answers its reference in `role`. */
export async function uploadPhoto(
  url: string,
  headers: Record<string, string>,
  role: PhotoRef['role'],
): Promise<PhotoRef> {
  shade = (shade + 37) % 256;
  const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 90, b: 200 } } })
    .jpeg()
    .toBuffer();
  const res = await fetch(`${url}/api/photos`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', ...headers },
    body: bytes,
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`upload refused: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return { id, role, at: Date.now() };
}
