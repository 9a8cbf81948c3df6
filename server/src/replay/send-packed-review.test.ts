import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compress } from '../http/compress.ts';
import { MAX_PACKING, packingLoad, sendPacked } from './send-packed.ts';

describe('sendPacked under attack (review)', () => {
  let url = '';
  let close = () => {};
  const big = Buffer.from(JSON.stringify(Array.from({ length: 200_000 }, (_, i) => ({ id: `C-${i}`, at: i * 7 }))));
  let sent = 0;
  let errors = 0;
  /** Requests the handler has begun: a client that leaves before its request reached the hub is no test of it. */
  let arrived = 0;
  beforeAll(async () => {
    const app = express();
    app.use(compress());
    app.get('/big', (req, res, next) => {
      arrived++;
      void sendPacked(req, res, big, 'application/json')
        .then(() => sent++)
        .catch((e: unknown) => {
          errors++;
          next(e);
        });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  /** One GET of the large answer; with `leave`, the client goes away (its socket destroyed) once `leave` resolves. */
  const raw = (headers: Record<string, string>, leave?: Promise<void>) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer } | 'aborted'>((resolve, reject) => {
      const req = request(`${url}/big`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', (e) => (leave ? resolve('aborted') : reject(e)));
      req.end();
      void leave?.then(() => (req.destroy(), resolve('aborted')));
    });
  /** Resolves once `n` more requests than now have reached the handler (polled: on the state, not on a delay). */
  const arrivals = async (n: number) => {
    const target = arrived + n;
    while (arrived < target) await new Promise((r) => setTimeout(r, 1));
  };

  it('an ETag answered 304 when it matches; long and garbage headers plain or packed, never a 500', async () => {
    const first = await raw({ 'accept-encoding': 'br' });
    if (first === 'aborted') throw new Error('aborted');
    expect(first.headers.etag).toBeTruthy();
    const again = await raw({ 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    if (again === 'aborted') throw new Error('aborted');
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    for (const h of ['x'.repeat(8000), ';;;,,,q=', 'br;q=1e400', 'br;q=-1, gzip;q=0', '\u00ff\u00fe', 'br;q=0.0001']) {
      const res = await raw({ 'accept-encoding': h });
      if (res === 'aborted') throw new Error('aborted');
      expect(res.status, h).toBe(200);
    }
  });

  it('clients that leave mid-compression: no error, and the next answer whole', async () => {
    const before = errors;
    const done = sent + errors;
    const arrivedBefore = arrived;
    // Six clients leave as soon as all six requests are in the hub: some compressing, some waiting for a slot (four
    // at a time). Timed on the client instead (5 ms), a loaded machine let some leave before their request arrived.
    const allIn = arrivals(6);
    await Promise.all(Array.from({ length: 6 }, () => raw({ 'accept-encoding': 'br' }, allIn)));
    const res = await raw({ 'accept-encoding': 'br' });
    if (res === 'aborted') throw new Error('aborted');
    expect(brotliDecompressSync(res.body).equals(big)).toBe(true);
    expect(arrived - arrivedBefore).toBe(7);
    // Wait for the abandoned ones to finish their jobs: on the state, bounded at a minute for a loaded machine.
    for (let i = 0; i < 1_200 && sent + errors < done + 7; i++) await new Promise((r) => setTimeout(r, 50));
    expect(sent + errors).toBe(done + 7);
    expect(errors).toBe(before);
  });

  it('a burst of 20 seeks compresses at most MAX_PACKING at once (each holds its own encoder), every answer whole', async () => {
    packingLoad(true);
    const burst = await Promise.all(Array.from({ length: 20 }, () => raw({ 'accept-encoding': 'br' })));
    for (const res of burst) {
      if (res === 'aborted') throw new Error('aborted');
      expect(brotliDecompressSync(res.body).equals(big)).toBe(true);
    }
    const load = packingLoad();
    expect(MAX_PACKING).toBeLessThan(20); // unbounded, all 20 ran at once (~350 MB of encoders)
    expect(load.peak).toBeLessThanOrEqual(MAX_PACKING);
    expect(load.peak).toBeGreaterThan(1); // still in parallel
    expect(load.now).toBe(0); // every slot given back, the aborted ones' too
    expect(load.waiting).toBe(0);
  });
});
