/**
 * The field terminal's calls to the hub: pairing, the outbox's transport (photo uploads and field commands over
 * HTTP, so a device token or an inspector's session works alike and a lost answer is simply tried again), the
 * phone's fixes, and the `/field` socket that pushes the principal's state.
 */
import { io, type Socket } from 'socket.io-client';
import {
  FIELD_NAMESPACE,
  type FieldClientToServerEvents,
  type FieldServerToClientEvents,
  type Fix,
} from '@egret/protocol';
import type { OutboxTransport, HubAnswer } from '../outbox/runner.ts';
import type { OutboxPhoto } from '../outbox/queue.ts';
import type { FieldCredential, FieldDb } from './field-db.ts';

function authHeaders(c: FieldCredential | null): Record<string, string> {
  return c?.kind === 'device' ? { authorization: `Bearer ${c.token}` } : {};
}

async function answer(res: Response): Promise<HubAnswer> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null; // a proxy's HTML error page, an empty 502
  }
  return { status: res.status, body };
}

/** `POST /api/field/pair`: trades a one-time code for this phone's device token. */
export async function pairDevice(
  code: string,
  device: string,
): Promise<
  { ok: true; token: string; unitId: string; unitName: string } | { ok: false; code: string; message: string }
> {
  try {
    const a = await answer(
      await fetch('/api/field/pair', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, device }),
        credentials: 'same-origin',
      }),
    );
    const b = (a.body ?? {}) as {
      token?: string;
      unitId?: string;
      unitName?: string;
      data?: { token?: string; unitId?: string; unitName?: string };
      result?: { token?: string; unitId?: string; unitName?: string };
      error?: string;
      message?: string;
      refusal?: { code?: string; message?: string };
    };
    const d = b.result ?? b.data ?? b;
    if (a.status >= 200 && a.status < 300 && d.token && d.unitId)
      return { ok: true, token: d.token, unitId: d.unitId, unitName: d.unitName ?? d.unitId };
    return {
      ok: false,
      code: b.refusal?.code ?? b.error ?? `http_${a.status}`,
      message: b.refusal?.message ?? b.message ?? '',
    };
  } catch (err) {
    return { ok: false, code: 'network', message: (err as Error).message };
  }
}

/** The outbox's transport: photos from IndexedDB to `POST /api/photos`, commands to `/api/field/commands/<name>`. */
export function httpTransport(db: FieldDb, credential: () => FieldCredential | null): OutboxTransport {
  return {
    async upload(photo: OutboxPhoto) {
      const blob = await db.photo(photo.blobKey);
      if (!blob) return { status: 410, body: { error: 'photo_lost', message: 'the photo is no longer on this phone' } };
      const headers: Record<string, string> = {
        ...authHeaders(credential()),
        'content-type': blob.type || 'image/jpeg',
        'x-photo-at': String(Math.round(photo.at)),
      };
      if (photo.lon !== undefined && photo.lat !== undefined) {
        headers['x-photo-lon'] = photo.lon.toFixed(6);
        headers['x-photo-lat'] = photo.lat.toFixed(6);
      }
      return answer(await fetch('/api/photos', { method: 'POST', headers, body: blob, credentials: 'same-origin' }));
    },
    async send(name, payload) {
      return answer(
        await fetch(`/api/field/commands/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { ...authHeaders(credential()), 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          credentials: 'same-origin',
        }),
      );
    },
  };
}

/** `POST /api/ingest/positions` with the device token: the unit's own fixes. */
export async function postFixes(credential: FieldCredential, fixes: Fix[]): Promise<HubAnswer> {
  return answer(
    await fetch('/api/ingest/positions', {
      method: 'POST',
      headers: { ...authHeaders(credential), 'content-type': 'application/json' },
      body: JSON.stringify({ fixes }),
      credentials: 'same-origin',
    }),
  );
}

export type FieldSocket = Socket<FieldServerToClientEvents, FieldClientToServerEvents>;

/** The `/field` socket: a device sends its token in the handshake, an inspector's session cookie goes by itself. */
export function connectFieldSocket(credential: FieldCredential): FieldSocket {
  return io(FIELD_NAMESPACE, {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    auth: credential.kind === 'device' ? { token: credential.token } : {},
    withCredentials: true,
  });
}
