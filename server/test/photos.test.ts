import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@egret/config';
import { PHOTO_MAX_BYTES_DEFAULT } from '@egret/protocol';
import { createFilePhotoStore } from '../src/photos/store.ts';
import { addUser, pair, sessionCookie, startAuthHub, type AuthHub } from './auth-fixture.ts';

/**
 * Photos as evidence (issue #16): a real hub in required mode over the test Redis, storing real files in a temporary
 * folder. Images are made here with sharp; the bad ones are made by hand, byte by byte.
 */

const base = loadConfig();
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A PNG from raw chunks (crc32 computed), for the files no encoder would write. */
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
function ihdr(w: number, h: number, depth: number, colour: number): Buffer {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(w, 0);
  d.writeUInt32BE(h, 4);
  d[8] = depth;
  d[9] = colour;
  return chunk('IHDR', d);
}
/** A real 20000×20000 1-bit PNG: 400 megapixels, ~50 MB of pixels deflated to a few tens of kB. */
function pixelBomb(): Buffer {
  const side = 20_000;
  const row = 1 + side / 8;
  const raw = Buffer.alloc(row * side); // all filter 0, all black
  return Buffer.concat([
    PNG_SIG,
    ihdr(side, side, 1, 0),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json(): Record<string, unknown>;
}
/** A raw HTTP request (no client-side path normalisation), body sent as given. */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<Answer> {
  const u = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const b = Buffer.concat(parts);
        done({ status: res.statusCode!, headers: res.headers, body: b, json: () => JSON.parse(b.toString('utf8')) });
      });
    });
    req.on('error', fail);
    req.end(body);
  });
}

describe('photos: upload, sniffing, limits, serving and who may do what', () => {
  let hub: AuthHub;
  let dir: string;
  let dispatcher: string;
  let viewer: string;
  let inspector: string;
  let wall: string;
  let device: string;
  let revoked: string;
  let ingestKey: string;
  let jpeg: Buffer;
  let png: Buffer;
  let webp: Buffer;

  const upload = (
    auth: Record<string, string>,
    body: Buffer,
    type = 'image/jpeg',
    extra: Record<string, string> = {},
  ) => raw(hub.url, 'POST', '/api/photos', { 'content-type': type, ...auth, ...extra }, body);
  const get = (auth: Record<string, string>, path: string) => raw(hub.url, 'GET', path, auth);
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const cookie = (c: string) => ({ cookie: c });
  const deadLetters = async () =>
    ((await hub.redis.xRange(hub.keys.deadletter, '-', '+')) ?? [])
      .map((e) => e.message as Record<string, string>)
      .filter((m) => m.source === 'http:/api/photos');
  const metric = async (line: RegExp) => {
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    return Number(line.exec(text)?.[1] ?? 0);
  };
  const files = () =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'egret-photos-'));
    const config = { ...base, settings: { ...base.settings, photos: { ...base.settings.photos, dir } } };
    hub = await startAuthHub('photos', { config });
    await addUser(hub.store, 'dora', 'dispatcher');
    await addUser(hub.store, 'vic', 'viewer');
    dispatcher = await sessionCookie(hub.url, 'dora', 'correct-horse-battery-42');
    viewer = await sessionCookie(hub.url, 'vic', 'correct-horse-battery-42');
    await hub.store.add('ines', 'inspector', 'correct-horse-battery-42', ['350203017048001']);
    inspector = await sessionCookie(hub.url, 'ines', 'correct-horse-battery-42');
    const paired = await pair(hub.url, await hub.store.createPairing('wall-1'));
    wall = paired.cookie!;
    device = (await hub.store.createDevice('U-PHOTO')).token;
    revoked = (await hub.store.createDevice('U-GONE')).token;
    await hub.store.revokeKey('device:U-GONE');
    ingestKey = (await hub.store.createKey('hotline', 'ingest')).token;
    const pixels = (w: number, h: number) =>
      sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 80, b: 40 } } });
    jpeg = await pixels(640, 480).jpeg().toBuffer();
    png = await pixels(100, 50).png().toBuffer();
    webp = await pixels(1000, 700).webp().toBuffer();
  });

  afterAll(async () => {
    await hub?.closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a JPEG from a device under the sha-256 of its bytes, with its record, and the same bytes again are one photo', async () => {
    const at = Date.now() - 60_000;
    const first = await upload(bearer(device), jpeg, 'image/jpeg', {
      'x-photo-at': String(at),
      'x-photo-lon': '118.0894',
      'x-photo-lat': '24.4798',
    });
    expect(first.status).toBe(201);
    const id = sha(jpeg);
    expect(first.json()).toEqual({ id, width: 640, height: 480, bytes: jpeg.length, type: 'image/jpeg' });
    const record = JSON.parse(readFileSync(join(dir, id.slice(0, 2), `${id}.json`), 'utf8'));
    expect(record).toMatchObject({ id, at, lon: 118.0894, lat: 24.4798, by: 'unit:U-PHOTO', bytes: jpeg.length });
    expect(readFileSync(join(dir, id.slice(0, 2), `${id}.jpg`)).equals(jpeg)).toBe(true);

    // An outbox sending it again, and a dispatcher uploading the same bytes under another name: 200, one file.
    const again = await upload(bearer(device), jpeg, 'image/jpeg');
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ id });
    expect((await upload(cookie(dispatcher), jpeg, 'image/png', { 'x-photo-at': '1' })).status).toBe(200);
    expect(files().filter((f) => f.includes(id))).toHaveLength(3); // image, thumbnail, record
    expect(JSON.parse(readFileSync(join(dir, id.slice(0, 2), `${id}.json`), 'utf8')).by).toBe('unit:U-PHOTO');
    expect(files().filter((f) => f.startsWith('tmp/'))).toEqual([]);
  });

  it('stores PNG and WebP from a dispatcher, and serves each with a thumbnail of at most 320 px, cached as immutable', async () => {
    for (const [bytes, type, w, h] of [
      [png, 'image/png', 100, 50],
      [webp, 'image/webp', 1000, 700],
    ] as const) {
      // The Content-Type the caller sends does not matter: the bytes say what it is.
      const r = await upload(cookie(dispatcher), bytes, 'application/octet-stream');
      expect(r.status).toBe(201);
      expect(r.json()).toEqual({ id: sha(bytes), width: w, height: h, bytes: bytes.length, type });
      const full = await get(cookie(viewer), `/api/photos/${sha(bytes)}`);
      expect(full.status).toBe(200);
      expect(full.headers['content-type']).toBe(type);
      expect(full.headers['cache-control']).toMatch(/immutable/);
      expect(full.body.equals(bytes)).toBe(true);
      const thumb = await get(cookie(viewer), `/api/photos/${sha(bytes)}/thumb`);
      expect(thumb.status).toBe(200);
      expect(thumb.headers['content-type']).toBe('image/webp');
      expect(thumb.headers['cache-control']).toMatch(/immutable/);
      const meta = await sharp(thumb.body).metadata();
      expect(meta.format).toBe('webp');
      expect(Math.max(meta.width, meta.height)).toBe(Math.min(320, Math.max(w, h)));
    }
  });

  it('serves photos to people (inspectors too), walls and devices only; uploads from devices, inspectors and dispatchers only', async () => {
    const path = `/api/photos/${sha(jpeg)}`;
    expect((await get(cookie(wall), path)).status).toBe(200);
    expect((await get(bearer(device), `${path}/thumb`)).status).toBe(200);
    expect((await get(cookie(dispatcher), path)).status).toBe(200);
    expect((await get({}, path)).status).toBe(401);
    expect((await get(bearer(ingestKey), path)).status).toBe(403);
    expect((await get(cookie(inspector), path)).status).toBe(200);
    const gone = await get(bearer(revoked), path);
    expect(gone.status).toBe(401);
    expect(gone.json()).toMatchObject({ error: 'revoked' });
    expect((await get(bearer(`${device}x`), path)).status).toBe(401);

    // An inspector's photo of a case they report: stored, recorded as theirs.
    const report = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } })
      .webp()
      .toBuffer();
    const byInspector = await upload(cookie(inspector), report, 'image/webp');
    expect(byInspector.status).toBe(201);
    expect((await hub.app.photos.get(sha(report)))?.by).toBe('ines');
    await hub.app.photos.sweep(Date.now() + 1, (id) => id !== sha(report)); // back to the photos the tests below expect
    expect((await upload({}, png)).status).toBe(401);
    expect((await upload(bearer(revoked), png)).status).toBe(401);
    const byWall = await upload(cookie(wall), png);
    expect(byWall.status).toBe(403);
    expect(byWall.json()).toMatchObject({ error: 'forbidden' });
    expect((await upload(cookie(viewer), png)).status).toBe(403);
    expect((await upload(bearer(ingestKey), png)).status).toBe(403);
    // A browser on a foreign origin is refused before anything is read.
    expect((await upload({ ...cookie(dispatcher), origin: 'https://evil.example' }, png)).status).toBe(403);
    expect((await deadLetters()).filter((d) => d.reason === 'forbidden').length).toBeGreaterThanOrEqual(3);
  });

  it('refuses what is not a real JPEG, PNG or WebP, whatever it claims to be (415, kept with its reason)', async () => {
    const before = await metric(/egret_photo_refused_total\{reason="not_an_image"\} (\d+)/);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>1</script></svg>');
    const pngThenJunk = Buffer.concat([png.subarray(0, 33), Buffer.alloc(4_000, 0x5a)]);
    const truncatedJpeg = jpeg.subarray(0, Math.floor(jpeg.length / 2));
    const cases: Array<[Buffer, string]> = [
      [Buffer.from('this is a text file named photo.jpg\n'), 'image/jpeg'],
      [svg, 'image/png'],
      [svg, 'image/svg+xml'],
      [pngThenJunk, 'image/png'],
      [truncatedJpeg, 'image/jpeg'],
      [Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 '), Buffer.alloc(100)]), 'image/webp'],
      [Buffer.alloc(0), 'image/jpeg'],
    ];
    for (const [body, type] of cases) {
      const r = await upload(bearer(device), body, type);
      expect(r.status, `${type} ${body.subarray(0, 20).toString('latin1')}`).toBe(415);
      expect(r.json()).toMatchObject({ ok: false, error: 'not_an_image' });
    }
    expect(await metric(/egret_photo_refused_total\{reason="not_an_image"\} (\d+)/)).toBe(before + cases.length);
    const kept = (await deadLetters()).filter((d) => d.reason === 'not_an_image');
    expect(kept.length).toBeGreaterThanOrEqual(cases.length);
    expect(kept[0]).toMatchObject({ source: 'http:/api/photos', data: expect.stringContaining('unit:U-PHOTO') });
    expect(files().filter((f) => f.startsWith('tmp/'))).toEqual([]);
    for (const [body] of cases) expect(files().some((f) => body.length && f.includes(sha(body)))).toBe(false);
  });

  it('refuses a 20000×20000 PNG from its header, before decoding it (422 too_many_pixels)', async () => {
    const bomb = pixelBomb();
    expect(bomb.length).toBeLessThan(1_000_000);
    const rss = process.memoryUsage().rss;
    const r = await upload(bearer(device), bomb, 'image/png');
    expect(r.status).toBe(422);
    expect(r.json()).toMatchObject({ error: 'too_many_pixels', message: expect.stringMatching(/20000×20000/) });
    // Decoding it would take 400 MB at one byte a pixel.
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 1024 * 1024);
    expect((await deadLetters()).some((d) => d.reason === 'too_many_pixels')).toBe(true);
  });

  it('refuses a 50 MB body while it streams (413), keeping neither the bytes in memory nor a file', async () => {
    const total = 50 * 1024 * 1024;
    // Declared: refused from the Content-Length, before a byte is read.
    const declared = await new Promise<{ status: number; sent: number; body: string }>((done, fail) => {
      const u = new URL(hub.url);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          method: 'POST',
          path: '/api/photos',
          headers: { ...bearer(device), 'content-type': 'image/jpeg', 'content-length': String(total) },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => done({ status: res.statusCode!, sent: req.socket?.bytesWritten ?? 0, body }));
        },
      );
      req.on('error', fail);
      req.write(jpeg.subarray(0, 1024));
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({ error: 'too_large' });

    // Chunked, no length: counted as it comes and refused once past the limit, long before the 50 MB are sent.
    const mem = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    global.gc?.();
    const start = mem();
    let peak = start;
    const sampler = setInterval(() => (peak = Math.max(peak, mem())), 5);
    const streamed = await new Promise<{ status: number; sentBeforeAnswer: number; body: string }>((done, fail) => {
      const u = new URL(hub.url);
      const piece = Buffer.alloc(64 * 1024, 0x11);
      jpeg.copy(piece, 0, 0, 64);
      let sent = 0;
      let answered = -1;
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          method: 'POST',
          path: '/api/photos',
          headers: { ...bearer(device), 'content-type': 'image/jpeg', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          answered = sent;
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => done({ status: res.statusCode!, sentBeforeAnswer: answered, body }));
        },
      );
      req.on('error', (err) => (answered >= 0 ? undefined : fail(err)));
      const pump = () => {
        while (sent < total && answered < 0) {
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        if (answered < 0) req.end();
      };
      pump();
    });
    clearInterval(sampler);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: 'too_large' });
    expect(streamed.sentBeforeAnswer).toBeGreaterThan(PHOTO_MAX_BYTES_DEFAULT);
    expect(streamed.sentBeforeAnswer).toBeLessThan(total);
    // Written to a temporary file as it came, never gathered: the hub (this process, the test's client too) did not
    // grow by the body. Measured ≈ 17–26 MB at the peak here: the 16 MB of chunks read before the answer, not yet
    // collected; a hub holding the body would add 50 MB on top.
    expect(peak - start).toBeLessThan(40 * 1024 * 1024);
    expect(files().filter((f) => f.startsWith('tmp/'))).toEqual([]);
    expect(await metric(/egret_photo_refused_total\{reason="too_large"\} (\d+)/)).toBe(2);
  });

  it('keeps nothing of an upload whose link drops halfway, and goes on serving', async () => {
    const big = await sharp({
      create: {
        width: 1200,
        height: 900,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .png()
      .toBuffer();
    const u = new URL(hub.url);
    await new Promise<void>((done) => {
      const req = request({
        host: u.hostname,
        port: u.port,
        method: 'POST',
        path: '/api/photos',
        headers: { ...bearer(device), 'content-type': 'image/png', 'content-length': String(big.length) },
      });
      req.on('error', () => done());
      req.write(big.subarray(0, big.length >> 1), () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => done());
    });
    await expect.poll(() => metric(/egret_photo_refused_total\{reason="aborted"\} (\d+)/), { timeout: 5_000 }).toBe(1);
    expect(files().filter((f) => f.startsWith('tmp/'))).toEqual([]);
    expect(await hub.app.photos.has(sha(big))).toBe(false);
    expect((await upload(bearer(device), big, 'image/png')).status).toBe(201);
  });

  it('answers 404 for unknown ids and for every path trick, and never a file outside the store', async () => {
    const id = sha(jpeg);
    const unknown = 'f'.repeat(64);
    const paths = [
      `/api/photos/${unknown}`,
      `/api/photos/${unknown}/thumb`,
      `/api/photos/${id.toUpperCase()}`,
      `/api/photos/${id.slice(0, 63)}`,
      `/api/photos/${id}0`,
      `/api/photos/${id}.jpg`,
      `/api/photos/${id}.json`,
      `/api/photos/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/api/photos/%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
      `/api/photos/${id.slice(0, 2)}%2F${id}.jpg`,
      `/api/photos/%2E%2E`,
      `/api/photos/${encodeURIComponent(`../${id.slice(3)}`)}`,
      `/api/photos/${id}%00`,
      `/api/photos/${id}/..%2F..%2Fpackage.json`,
    ];
    for (const path of paths) {
      const r = await get(cookie(viewer), path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString('latin1'), path).not.toMatch(/root:|"name":|\xff\xd8/);
    }
    // A path the router cannot even match as a photo (`..` segments) never reaches a file either.
    const dotted = await get(cookie(viewer), `/api/photos/../../../etc/passwd`);
    expect(dotted.body.toString()).not.toMatch(/root:/);
    expect((await get(cookie(viewer), `/api/photos/${id}`)).status).toBe(200);
  });

  it('guards the route whatever the letter case of its path', async () => {
    for (const path of ['/API/PHOTOS', '/Api/Photos', '/api/photos/']) {
      expect((await raw(hub.url, 'POST', path, { 'content-type': 'image/png' }, png)).status, path).toBe(401);
      expect((await raw(hub.url, 'POST', path, { 'content-type': 'image/png', ...cookie(wall) }, png)).status).toBe(
        403,
      );
    }
    // However the path is spelled, a wall never gets a photo stored.
    const before = files().length;
    for (const path of [
      '//api/photos',
      '/api/photos?x=1',
      '/api/%70hotos',
      '/api//photos',
      '/api/photos/.',
      '/api/./photos',
    ]) {
      const r = await raw(hub.url, 'POST', path, { 'content-type': 'image/png', ...cookie(wall) }, webp);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
    }
    expect(files().length).toBe(before);
    expect((await get({}, `/API/PHOTOS/${sha(jpeg)}`)).status).toBe(401);
    expect((await get(bearer(ingestKey), `/API/Photos/${sha(jpeg)}/THUMB`)).status).toBe(403);
  });

  it('refuses bad capture headers (400 bad_header, kept)', async () => {
    for (const extra of <Array<Record<string, string>>>[
      { 'x-photo-at': 'yesterday' },
      { 'x-photo-at': '-5' },
      { 'x-photo-lon': '190', 'x-photo-lat': '24' },
      { 'x-photo-lon': '118' },
      { 'x-photo-lat': '1e3', 'x-photo-lon': '118' },
    ]) {
      const r = await upload(bearer(device), png, 'image/png', extra);
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.json()).toMatchObject({ error: 'bad_header' });
    }
  });

  it('the sweep deletes photos past retention that no open case holds, and keeps the held ones', async () => {
    const held = sha(png);
    const n = await hub.app.photos.sweep(Date.now() + 1_000, (id) => id === held);
    expect(n).toBe(3); // the JPEG, the WebP and the PNG of the dropped link sent again
    expect(await hub.app.photos.has(held)).toBe(true);
    expect(await hub.app.photos.has(sha(jpeg))).toBe(false);
    expect((await get(cookie(viewer), `/api/photos/${sha(jpeg)}`)).status).toBe(404);
    const shard = held.slice(0, 2);
    expect(files().sort()).toEqual([`${shard}/${held}.json`, `${shard}/${held}.png`, `${shard}/${held}.thumb.webp`]);
  });
});

describe('photos: two hubs on one shared folder', () => {
  it('store the same bytes at once as one photo, and a reader never sees it half written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'egret-photos-shared-'));
    try {
      const limits = { maxBytes: PHOTO_MAX_BYTES_DEFAULT, maxPixels: 40_000_000 };
      const a = createFilePhotoStore({ dir, limits, realNow: Date.now });
      const b = createFilePhotoStore({ dir, limits, realNow: Date.now });
      const bytes = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3366cc' } })
        .jpeg()
        .toBuffer();
      const id = sha(bytes);
      const seen: boolean[] = [];
      const watcher = (async () => {
        for (let i = 0; i < 50; i++) {
          if (await b.has(id)) {
            // Once the record is there, the image and the thumbnail are whole.
            const file = await b.file(id, 'image');
            seen.push(readFileSync(file!.path).equals(bytes));
            const thumb = await b.file(id, 'thumb');
            seen.push((await sharp(readFileSync(thumb!.path)).metadata()).width === 320);
          }
          await new Promise((r) => setImmediate(r));
        }
      })();
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).put(bytes, { by: `hub-${i % 2}` })),
      );
      await watcher;
      expect(new Set(results.map((r) => r.id))).toEqual(new Set([id]));
      expect(results.filter((r) => r.created).length).toBeGreaterThanOrEqual(1);
      expect(seen.every(Boolean)).toBe(true);
      const left = readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort();
      expect(left).toEqual([`${id}.jpg`, `${id}.json`, `${id}.thumb.webp`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
