import express, { type NextFunction, type Request, type Response } from 'express';
import client from 'prom-client';
import { EpochMs, Lat, Lon, type RedisKeys } from '@egret/protocol';
import { atLeast, type Principal } from '../auth/permissions.ts';
import type { Limit, RateLimiter } from '../http/security.ts';
import { tooManyRequests } from '../http/security.ts';
import type { Redis } from '../redis/connect.ts';
import { deadLetter } from '../redis/deadletter.ts';
import { parsePhotoId } from './sniff.ts';
import { PhotoRefused, uploadResult, type PhotoStore, type PhotoUploadMeta } from './store.ts';

/**
 * `POST /api/photos` (the raw image as the body) and `GET /api/photos/<id>`, `GET /api/photos/<id>/thumb`
 * (docs/integration.md: photos). Mounted after the `/api` guard (who is calling) and before the viewers-only gate:
 * field devices upload and see photos but open no screen.
 */

/** Who may upload: field devices, inspectors, and people or service keys of the dispatcher role and above. */
export function mayUploadPhoto(p: Principal): boolean {
  if (p.kind === 'open') return true;
  if (p.kind === 'device') return p.role === 'field';
  if (p.kind === 'wall') return false;
  return (p.role as string) === 'inspector' || atLeast(p.role, 'dispatcher');
}

/** Who may see photos: signed-in people (any role), paired walls and field devices; never an API key. */
export function mayViewPhoto(p: Principal): boolean {
  return p.kind === 'user' || p.kind === 'wall' || p.kind === 'device' || p.kind === 'open';
}

/** Who a photo is recorded as uploaded by. */
export function uploaderOf(p: Principal): string {
  return p.kind === 'device' ? `unit:${p.unitId ?? p.id}` : p.id;
}

export interface PhotoRoutesOptions {
  store: PhotoStore;
  redis: Redis;
  keys: RedisKeys;
  registry: client.Registry;
  deadletterMaxLen: number;
  realNow: () => number;
  /** `required` mode checks the principal the guard attached; `open` lets anyone in (as the rest of the hub does). */
  required: boolean;
  limiter: RateLimiter;
  /** Uploads per caller and window. */
  uploadRate: Limit;
}

/** How long the rest of a refused body is read (and discarded) before the connection is cut. */
const DRAIN_MS = 2_000;

/** A year: photos never change (their id is their bytes' hash). */
const IMMUTABLE = 'private, max-age=31536000, immutable';

export function photoRoutes(o: PhotoRoutesOptions): express.Router {
  const router = express.Router();
  const counter = (name: string, help: string, labelNames: readonly string[]) =>
    (o.registry.getSingleMetric(name) as client.Counter | undefined) ??
    new client.Counter({ name, help, labelNames, registers: [o.registry] });
  const stored = counter('egret_photos_stored_total', 'Photo uploads accepted, by result (created, existing).', [
    'result',
  ]);
  const storedBytes = counter('egret_photo_bytes_total', 'Bytes of photos stored (new photos only).', []);
  const refused = counter(
    'egret_photo_refused_total',
    'Photo uploads refused, by reason (too_large, not_an_image, too_many_pixels, bad_header, forbidden, aborted …).',
    ['reason'],
  );
  const served = counter('egret_photos_served_total', 'Photos and thumbnails served, by kind.', ['kind']);
  const authRefused = o.registry.getSingleMetric('egret_auth_refused_total') as client.Counter<'reason'> | undefined;

  /** Keeps a refusal with its reason (the dead-letter stream, like every refused input), counts it, answers it. */
  async function refuse(req: Request, res: Response, status: number, reason: string, message: string, by?: string) {
    refused.inc({ reason });
    // The rest of a refused body is not kept: Node discards it as it comes, the answer closes the connection, and a
    // caller that goes on sending after the answer is cut off shortly after.
    if (!req.complete && !res.headersSent) {
      res.set('Connection', 'close');
      res.once('finish', () => setTimeout(() => req.complete || req.destroy(), DRAIN_MS).unref());
    }
    const data = JSON.stringify({
      by,
      contentType: req.get('content-type'),
      contentLength: req.get('content-length'),
      at: req.get('x-photo-at'),
      lon: req.get('x-photo-lon'),
      lat: req.get('x-photo-lat'),
    });
    try {
      await deadLetter(
        o.redis,
        o.keys,
        { source: 'http:/api/photos', reason, detail: message, data },
        o.deadletterMaxLen,
        o.realNow(),
      );
    } finally {
      if (!res.headersSent) res.status(status).json({ ok: false, error: reason, message });
    }
  }

  function principalOr401(res: Response): Principal | undefined {
    const p = res.locals.principal as Principal | undefined;
    if (p) return p;
    authRefused?.inc({ reason: 'unauthenticated' });
    res.status(401).json({
      ok: false,
      error: 'unauthenticated',
      message: 'log in first (POST /api/auth/login), or send a device token as Authorization: Bearer <token>',
    });
    return undefined;
  }

  router.post('/api/photos', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const p = principalOr401(res);
      if (!p) return;
      const by = uploaderOf(p);
      if (o.required && !mayUploadPhoto(p)) {
        authRefused?.inc({ reason: 'forbidden' });
        return await refuse(
          req,
          res,
          403,
          'forbidden',
          `a ${p.role} caller may not upload photos (field devices, inspectors and dispatchers may)`,
          by,
        );
      }
      if (o.required) {
        const rate = await o.limiter.hit('photo', `${p.kind}:${p.id}`, o.uploadRate);
        if (!rate.allowed) {
          refused.inc({ reason: 'rate_limited' });
          return tooManyRequests(res, rate, 'photo uploads');
        }
      }
      const meta = headerMeta(req, by);
      if (typeof meta === 'string') return await refuse(req, res, 400, 'bad_header', meta, by);
      if (req.get('content-encoding') && req.get('content-encoding') !== 'identity')
        return await refuse(
          req,
          res,
          415,
          'not_an_image',
          'send the image bytes as they are, without Content-Encoding',
          by,
        );
      const declared = req.get('content-length');
      // Read without destroying the request when the store stops early: the refusal must still reach the caller.
      const body = req.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
      const photo = await o.store.receive(body, meta, declared !== undefined ? Number(declared) : undefined);
      stored.inc({ result: photo.created ? 'created' : 'existing' });
      if (photo.created) storedBytes.inc(photo.bytes);
      res.status(photo.created ? 201 : 200).json(uploadResult(photo));
    } catch (err) {
      if (!(err instanceof PhotoRefused)) {
        // The phone lost its link mid-upload (its outbox sends it again): nothing was stored, nothing to answer.
        if (!req.complete && (req.destroyed || res.destroyed)) {
          refused.inc({ reason: 'aborted' });
          return;
        }
        return next(err);
      }
      await refuse(req, res, err.status, err.code, err.message, uploaderOf(res.locals.principal as Principal)).catch(
        next,
      );
    }
  });

  const serve = (which: 'image' | 'thumb') => async (req: Request, res: Response, next: NextFunction) => {
    try {
      const p = principalOr401(res);
      if (!p) return;
      if (o.required && !mayViewPhoto(p)) {
        authRefused?.inc({ reason: 'forbidden' });
        res.status(403).json({ ok: false, error: 'forbidden', message: `a ${p.role} key may not see photos` });
        return;
      }
      const id = parsePhotoId(req.params.id);
      const file = id ? await o.store.file(id, which) : undefined;
      if (!file) {
        res.status(404).json({ ok: false, error: 'not_found', message: 'no photo has this id' });
        return;
      }
      served.inc({ kind: which });
      res.sendFile(file.path, { headers: { 'Content-Type': file.type, 'Cache-Control': IMMUTABLE }, dotfiles: 'deny' });
    } catch (err) {
      next(err);
    }
  };
  router.get('/api/photos/:id', serve('image'));
  router.get('/api/photos/:id/thumb', serve('thumb'));
  return router;
}

/** The capture time and position the uploader gives in headers, or a message naming the bad one. */
export function headerMeta(req: Pick<Request, 'get'>, by: string): PhotoUploadMeta | string {
  const meta: PhotoUploadMeta = { by };
  const fields = [
    ['x-photo-at', 'at', EpochMs],
    ['x-photo-lon', 'lon', Lon],
    ['x-photo-lat', 'lat', Lat],
  ] as const;
  for (const [header, key, schema] of fields) {
    const raw = req.get(header);
    if (raw === undefined || raw === '') continue;
    const n = /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
    const r = schema.safeParse(n);
    if (!r.success) return `${header}: ${JSON.stringify(raw.slice(0, 40))} is not a valid ${key}`;
    meta[key] = r.data;
  }
  if ((meta.lon === undefined) !== (meta.lat === undefined)) return 'x-photo-lon and x-photo-lat come together';
  return meta;
}
