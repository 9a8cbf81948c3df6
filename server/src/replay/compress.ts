import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants, deflateRaw, inflateRaw } from 'node:zlib';

const brotli = promisify(brotliCompress);
const unbrotli = promisify(brotliDecompress);
const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

/**
 * Compression for history, on libuv's thread pool so the hub's event loop keeps serving while a snapshot of a
 * whole city is packed. Snapshots (large JSON) use brotli at a low quality: most of the ratio, a fraction of the
 * time; position segments (small binary) use raw deflate.
 */
export function packText(text: string): Promise<Buffer> {
  return brotli(Buffer.from(text), {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 4,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
    },
  });
}

export async function unpackText(bytes: Uint8Array): Promise<string> {
  return (await unpackTextBytes(bytes)).toString();
}

/** `unpackText` left as its UTF-8 bytes. */
export function unpackTextBytes(bytes: Uint8Array): Promise<Buffer> {
  return unbrotli(bytes);
}

export function packBytes(bytes: Uint8Array): Promise<Buffer> {
  return deflate(bytes, { level: 6 });
}

export async function unpackBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const out = await inflate(bytes);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
