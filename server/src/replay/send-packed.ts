import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type express from 'express';
import { BROTLI_QUALITY } from '../http/compress.ts';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Answers smaller than this go as they are (the compression middleware's threshold). */
const THRESHOLD = 1024;

/**
 * The encoding to send a body in, from an `Accept-Encoding` header: brotli wherever it is accepted, else gzip, else
 * none. Names are case-insensitive; `q=0` refuses one; `*` accepts any. Not the compression middleware's choice: its
 * negotiator goes by the header's order, and Chromium's `gzip, deflate, br, zstd` gets gzip there; a seek's large
 * answers go as brotli, the smaller of the two.
 */
export function packingFor(header: string | undefined): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    // Whitespace may stand before a ';' as after it (RFC 9110): `br ;q=0` refuses brotli.
    const [name, ...params] = part
      .toLowerCase()
      .split(';')
      .map((p) => p.trim());
    if (!name) continue;
    const qp = params.find((p) => p.startsWith('q='));
    const value = qp === undefined ? 1 : Number(qp.slice(2));
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const ok = (name: string) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

/**
 * Most answers compressed at once (libuv's default pool of 4 threads). Each job holds its own encoder, ~17 MB for a
 * late seek's finished part at brotli quality 4, made when the job is asked for, not when a pool thread takes it: a
 * burst of 20 seeks (a commander dragging the time bar) grew the hub's memory by ~350 MB, and every answer came at
 * the end of the burst, the jobs' pieces interleaved on the pool (first at ~590 ms; 68 MB and the first at ~76 ms
 * four at a time, the last as before). A seek's own parts (open, tracks, finished) are three.
 */
export const MAX_PACKING = 4;

let packing = 0;
let packingPeak = 0;
const packingQueue: Array<() => void> = [];

/** Compressions running now and the most at once since the last call with `reset` (tests, metrics). */
export function packingLoad(reset = false): { now: number; peak: number; waiting: number } {
  const load = { now: packing, peak: packingPeak, waiting: packingQueue.length };
  if (reset) packingPeak = packing;
  return load;
}

async function packSlot(): Promise<() => void> {
  while (packing >= MAX_PACKING) await new Promise<void>((r) => packingQueue.push(r));
  packing++;
  packingPeak = Math.max(packingPeak, packing);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    packing--;
    packingQueue.shift()?.();
  };
}

/**
 * Brotli's window for these answers, bits (the encoder's default is 22: 4 MB). A late seek's 11.5 MB open part at
 * the typhoon's landfall, quality 4: 22 bits 74 ms for 1,045 KB, 20 bits 61 ms for 1,032 KB (its rows repeat within
 * far less than a megabyte; a smaller window also costs the browser's decoder less memory). Any of 10–24 decodes
 * everywhere brotli does.
 */
export const PACK_WINDOW_BITS = 20;

/**
 * Sends a large answer compressed in one piece, off the event loop (issue #19). The compression middleware streams
 * a body through zlib 16 KB at a time, each piece a round trip between libuv's pool and the hub's one thread: a
 * late seek's 6 MB finished part takes ~400 of them, and each waits while that thread works on another answer (its
 * tracks, asked at the same moment). Here the whole body is one job on the pool, with its size as a hint; what the
 * browser decodes is the same bytes. The middleware leaves an answer with a `Content-Encoding` alone.
 */
export async function sendPacked(
  req: express.Request,
  res: express.Response,
  body: Buffer,
  type: string,
  windowBits = PACK_WINDOW_BITS,
) {
  res.type(type);
  res.vary('Accept-Encoding');
  const encoding =
    req.method === 'HEAD' || body.length < THRESHOLD ? undefined : packingFor(req.headers['accept-encoding']);
  if (!encoding) {
    res.send(body);
    return;
  }
  // At most MAX_PACKING at once; a client gone while this one waited is not compressed for.
  const release = await packSlot();
  let packed: Buffer;
  try {
    if (req.socket.destroyed) return;
    // Output pieces as large as a typical answer compresses to: one hand-back to the event loop, not one per 16 KB.
    const chunkSize = Math.min(8 << 20, Math.max(64 << 10, body.length >> 2));
    packed =
      encoding === 'br'
        ? await brotli(body, {
            chunkSize,
            params: {
              [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              [constants.BROTLI_PARAM_LGWIN]: windowBits,
            },
          })
        : await gz(body, { chunkSize });
  } finally {
    release();
  }
  res.setHeader('Content-Encoding', encoding);
  res.send(packed);
}
