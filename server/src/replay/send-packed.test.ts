import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compress } from '../http/compress.ts';
import { PACK_WINDOW_BITS, packingFor, sendPacked } from './send-packed.ts';

describe('packingFor (Accept-Encoding)', () => {
  it('prefers brotli, then gzip, whatever the letter case or order; honours q=0 and *', () => {
    const cases: Array<[string | undefined, 'br' | 'gzip' | undefined]> = [
      [undefined, undefined],
      ['', undefined],
      ['identity', undefined],
      ['gzip, deflate, br, zstd', 'br'],
      ['BR', 'br'],
      ['Gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['br;q=0, gzip;q=0', undefined],
      ['br; q=0.5', 'br'],
      ['br;q=nonsense, gzip', 'gzip'],
      ['*', 'br'],
      ['*, br;q=0', 'gzip'],
      ['*;q=0', undefined],
      ['deflate', undefined],
      [',,;, br', 'br'],
      // Whitespace is allowed before ';' (RFC 9110 weight = OWS ";" OWS "q=" qvalue): a refusal so written holds.
      ['br ;q=0, *', 'gzip'],
      ['br ; q=0, gzip', 'gzip'],
      ['gzip ;q=1', 'gzip'],
      ['\tbr\t;\tq=0.1', 'br'],
      ['br;Q=0, gzip', 'gzip'],
    ];
    for (const [header, want] of cases) expect(packingFor(header), String(header)).toBe(want);
  });
});

describe('sendPacked behind the compression middleware', () => {
  let url = '';
  let close = () => {};
  // Text that compresses, as a seek's JSON does.
  const big = Buffer.from(JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ id: `C-${i}`, at: i * 7 }))));
  const small = Buffer.from('{"ok":true}');

  beforeAll(async () => {
    const app = express();
    app.use(compress());
    app.get('/big', (req, res, next) => void sendPacked(req, res, big, 'application/json').catch(next));
    app.head('/big', (req, res, next) => void sendPacked(req, res, big, 'application/json').catch(next));
    app.get('/small', (req, res, next) => void sendPacked(req, res, small, 'application/json').catch(next));
    app.get('/big22', (req, res, next) => void sendPacked(req, res, big, 'application/json', 22).catch(next));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  const raw = (path: string, accept?: string, method = 'GET') =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = request(
        `${url}${path}`,
        { method, headers: accept === undefined ? {} : { 'accept-encoding': accept } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('sends the same bytes packed once (br or gzip) or plain, as asked, and says so', async () => {
    for (const [accept, encoding, unpack] of [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['GZIP', 'gzip', gunzipSync],
      ['br;q=0, gzip', 'gzip', gunzipSync],
      ['identity', undefined, (b: Buffer) => b],
      [undefined, undefined, (b: Buffer) => b],
    ] as const) {
      const res = await raw('/big', accept);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding'], String(accept)).toBe(encoding);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      if (encoding) expect(res.body.length).toBeLessThan(big.length / 4);
      expect(unpack(res.body).equals(big), String(accept)).toBe(true);
    }
  });

  it("packs brotli with its window of PACK_WINDOW_BITS, or the one asked for (the stream's first bits say which)", async () => {
    // RFC 7932 9.1: WBITS in the stream's first bits; 1 then n (3 bits) for 17 + n when n > 0.
    const wbits = (b: Buffer) => ((b[0]! & 1) === 0 ? 16 : ((b[0]! >> 1) & 7) === 0 ? 0 : 17 + ((b[0]! >> 1) & 7));
    expect(PACK_WINDOW_BITS).toBe(20);
    expect(wbits((await raw('/big', 'br')).body)).toBe(20);
    const wide = await raw('/big22', 'br');
    expect(wbits(wide.body)).toBe(22);
    expect(brotliDecompressSync(wide.body).equals(big)).toBe(true);
  });

  it('leaves a small answer and a HEAD plain; a burst of asks all get whole answers', async () => {
    const s = await raw('/small', 'br');
    expect(s.headers['content-encoding']).toBeUndefined();
    expect(s.body.equals(small)).toBe(true);
    const h = await raw('/big', 'br', 'HEAD');
    expect(h.status).toBe(200);
    expect(h.body.length).toBe(0);
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => raw('/big', i % 2 ? 'br' : 'gzip')));
    burst.forEach((res, i) => expect((i % 2 ? brotliDecompressSync : gunzipSync)(res.body).equals(big)).toBe(true));
  });
});
