import { constants } from 'node:zlib';
import compression from 'compression';
import type { RequestHandler } from 'express';

/** Brotli's quality for what the hub sends (see below); replay's large answers are packed at it too (send-packed.ts). */
export const BROTLI_QUALITY = 4;

/**
 * Compresses what is worth it (brotli or gzip, as the browser accepts): replay's JSON (a late seek in a 72-hour
 * typhoon is tens of MB of JSON) and the display's bundles. Brotli at quality 4, not zlib's default 11: at 11 a
 * 30 MB answer costs the hub seconds of CPU for a few per cent less; 4 is within ~10 % of it at gzip's speed.
 * Not for the auth routes (tiny answers that echo what a caller sent: nothing to gain, BREACH to lose).
 */
export function compress(): RequestHandler {
  return compression({
    threshold: 1024,
    brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
  });
}
