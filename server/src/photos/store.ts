import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { z } from 'zod';
import {
  EpochMs,
  Lat,
  Lon,
  PHOTO_THUMB_PX,
  PhotoId,
  PhotoType,
  type PhotoRefusalCode,
  type PhotoUploadResult,
} from '@egret/protocol';
import { photoPaths, SNIFF_BYTES, sniffImageType, THUMB_TYPE } from './sniff.ts';

/**
 * The photo store (issue #16): content-addressed files under one folder, `<dir>/ab/<sha256>.<ext>` with a thumbnail
 * (`.thumb.webp`) and a small metadata record (`.json`) beside each. Every file is written to a temporary name in
 * `<dir>/tmp/` and renamed into place (rename is atomic on one filesystem), so two hubs on a shared volume never see
 * half a file, and the same bytes written twice by two hubs at once end as one photo. The metadata record is renamed
 * in last: a photo exists (`has`) once its record does, and by then its image and thumbnail are complete.
 */

/** What the uploader says about a photo: kept as given (the capture time and position are the phone's word). */
export interface PhotoUploadMeta {
  /** Capture time (epoch ms), from `X-Photo-At`. */
  at?: number;
  lon?: number;
  lat?: number;
  /** Who uploaded it: a user name, or `unit:<id>` for a device. */
  by: string;
}

/** The metadata record kept beside each photo. */
export const PhotoRecord = z.object({
  id: PhotoId,
  type: PhotoType,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  at: EpochMs.optional(),
  lon: Lon.optional(),
  lat: Lat.optional(),
  by: z.string().max(128),
  uploadedAt: EpochMs,
});
export type PhotoRecord = z.infer<typeof PhotoRecord>;

/** A photo once stored: its record, and whether this upload created it (false: the same bytes were already there). */
export interface StoredPhoto extends PhotoRecord {
  created: boolean;
}

export interface PhotoLimits {
  /** Largest upload, bytes: refused `too_large` as soon as the body passes it (never buffered whole). */
  maxBytes: number;
  /** Most pixels (width × height, read from the header before any decoding): refused `too_many_pixels`. */
  maxPixels: number;
}

/** An upload the store refuses, with the HTTP status and a message naming why. */
export class PhotoRefused extends Error {
  constructor(
    readonly code: PhotoRefusalCode,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return PHOTO_REFUSAL_STATUS[this.code];
  }
}

/** The HTTP status of each refusal: 413 too large, 415 not an image, 422 too many pixels. */
export const PHOTO_REFUSAL_STATUS: Readonly<Record<PhotoRefusalCode, number>> = {
  too_large: 413,
  not_an_image: 415,
  too_many_pixels: 422,
};

export interface PhotoStore {
  readonly limits: PhotoLimits;
  /** Whether a photo with this id is stored (false for anything that is not a photo id). */
  has(id: string): Promise<boolean>;
  /** Its metadata record, or undefined. */
  get(id: string): Promise<PhotoRecord | undefined>;
  /** Stores these bytes (checked as an upload is). Throws {@link PhotoRefused}. */
  put(bytes: Uint8Array, meta: PhotoUploadMeta): Promise<StoredPhoto>;
  /**
   * Stores a body read chunk by chunk (an HTTP request): counted, hashed and written to a temporary file as it
   * arrives, refused as soon as it is too large or its first bytes are not an image. `declaredBytes` (Content-Length)
   * past the limit is refused before a byte is read. Throws {@link PhotoRefused}.
   */
  receive(body: AsyncIterable<Uint8Array>, meta: PhotoUploadMeta, declaredBytes?: number): Promise<StoredPhoto>;
  /** The absolute path and type of a photo's image or thumbnail, or undefined for an unknown id. */
  file(id: string, which: 'image' | 'thumb'): Promise<{ path: string; type: string } | undefined>;
  /**
   * Deletes photos uploaded before `olderThan` (epoch ms) that `keep` does not claim, and temporary files left by a
   * crash. Answers how many photos it deleted.
   */
  sweep(olderThan: number, keep: (id: string) => boolean): Promise<number>;
}

export interface FilePhotoStoreOptions {
  /** The folder (created when missing). */
  dir: string;
  limits: PhotoLimits;
  realNow: () => number;
}

const FORMAT_TYPE: Readonly<Record<string, PhotoType>> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
// Files are read once each: libvips' cache of open files would only hold handles to renamed temporaries.
sharp.cache(false);

/**
 * Images decoded at once by one hub: a decode of a 40 MP image takes a core and tens of MB, so a burst of uploads
 * queues here rather than taking the hub's memory and both cores.
 */
export const MAX_PARALLEL_DECODES = 2;

/** A temporary file older than this is a crash's leftover: the sweep removes it. */
const TMP_MAX_AGE_MS = 60 * 60_000;

/** The store on a local folder or a shared volume (docs/operations.md: photos). */
export function createFilePhotoStore(o: FilePhotoStoreOptions): PhotoStore {
  const tmpDir = join(o.dir, 'tmp');
  const tmpName = () => join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
  let ready: Promise<unknown> | undefined;
  const decodeSlot = semaphore(MAX_PARALLEL_DECODES);
  const ensureDirs = () => (ready ??= mkdir(tmpDir, { recursive: true }));

  async function get(id: string): Promise<PhotoRecord | undefined> {
    const paths = safePaths(id);
    if (!paths) return undefined;
    let text: string;
    try {
      text = await readFile(join(o.dir, paths.meta), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = PhotoRecord.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.id === id ? parsed.data : undefined;
  }

  /** Writes `data` to a temporary file and renames it to `dest` (atomic). */
  async function writeAtomic(dest: string, data: Uint8Array | string): Promise<void> {
    const tmp = tmpName();
    try {
      await writeFile(tmp, data);
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Checks a received temporary file, makes its thumbnail and moves it into place. */
  async function settle(tmp: string, id: string, type: PhotoType, bytes: number, meta: PhotoUploadMeta) {
    const existing = await get(id);
    if (existing) return { ...existing, created: false };
    // The header only: dimensions before any decoding, so a 20000×20000 PNG is refused without allocating it.
    let info: Metadata;
    try {
      info = await sharp(tmp, { limitInputPixels: false, sequentialRead: true }).metadata();
    } catch (err) {
      throw new PhotoRefused('not_an_image', `the bytes are not a readable image: ${(err as Error).message}`);
    }
    if (FORMAT_TYPE[info.format ?? ''] !== type)
      throw new PhotoRefused('not_an_image', `the bytes start as ${type} but decode as ${info.format ?? 'nothing'}`);
    const { width, height } = info;
    if (!width || !height) throw new PhotoRefused('not_an_image', 'the image has no dimensions');
    if (width * height > o.limits.maxPixels)
      throw new PhotoRefused(
        'too_many_pixels',
        `${width}×${height} is ${(width * height).toLocaleString('en')} pixels; at most ${o.limits.maxPixels.toLocaleString('en')} are accepted`,
      );
    // The whole image decoded once, for its thumbnail: a valid header over junk fails here.
    let thumb: Buffer;
    const release = await decodeSlot();
    try {
      thumb = await sharp(tmp, { limitInputPixels: o.limits.maxPixels, failOn: 'warning', sequentialRead: true })
        .autoOrient()
        .resize({ width: PHOTO_THUMB_PX, height: PHOTO_THUMB_PX, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 70 })
        .toBuffer();
    } catch (err) {
      throw new PhotoRefused('not_an_image', `the image could not be decoded: ${(err as Error).message}`);
    } finally {
      release();
    }
    const paths = photoPaths(id, type);
    await mkdir(join(o.dir, paths.dir), { recursive: true });
    const record: PhotoRecord = {
      id,
      type,
      width,
      height,
      bytes,
      ...(meta.at !== undefined ? { at: meta.at } : {}),
      ...(meta.lon !== undefined ? { lon: meta.lon } : {}),
      ...(meta.lat !== undefined ? { lat: meta.lat } : {}),
      by: meta.by,
      uploadedAt: o.realNow(),
    };
    await writeAtomic(join(o.dir, paths.thumb), thumb);
    await rename(tmp, join(o.dir, paths.image!));
    await writeAtomic(join(o.dir, paths.meta), JSON.stringify(record));
    return { ...record, created: true };
  }

  async function receive(
    body: AsyncIterable<Uint8Array>,
    meta: PhotoUploadMeta,
    declaredBytes?: number,
  ): Promise<StoredPhoto> {
    const max = o.limits.maxBytes;
    if (declaredBytes !== undefined && declaredBytes > max) throw tooLarge(max, declaredBytes);
    await ensureDirs();
    const tmp = tmpName();
    const file = await open(tmp, 'wx');
    let closed = false;
    let settled = false;
    try {
      const hash = createHash('sha256');
      let head = Buffer.alloc(0);
      let type: PhotoType | undefined;
      let total = 0;
      for await (const chunk of body) {
        total += chunk.length;
        if (total > max) throw tooLarge(max);
        if (!type) {
          head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES)]).subarray(0, SNIFF_BYTES);
          if (head.length >= SNIFF_BYTES) type = sniffed(head);
        }
        hash.update(chunk);
        await file.write(chunk);
      }
      type ??= sniffed(head);
      await file.close();
      closed = true;
      const stored = await settle(tmp, hash.digest('hex'), type, total, meta);
      settled = stored.created;
      return stored;
    } finally {
      if (!closed) await file.close().catch(() => undefined);
      if (!settled) await rm(tmp, { force: true });
    }
  }

  return {
    limits: o.limits,
    async has(id) {
      return (await get(id)) !== undefined;
    },
    get,
    put(bytes, meta) {
      return receive(
        (async function* () {
          yield bytes;
        })(),
        meta,
        bytes.length,
      );
    },
    receive,
    async file(id, which) {
      const record = await get(id);
      if (!record) return undefined;
      const paths = photoPaths(id, record.type);
      return which === 'image'
        ? { path: join(o.dir, paths.image!), type: record.type }
        : { path: join(o.dir, paths.thumb), type: THUMB_TYPE };
    },
    async sweep(olderThan, keep) {
      let deleted = 0;
      let shards: string[];
      try {
        shards = await readdir(o.dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw err;
      }
      for (const shard of shards) {
        if (!/^[0-9a-f]{2}$/.test(shard)) continue;
        for (const name of await readdir(join(o.dir, shard))) {
          const m = /^([0-9a-f]{64})\.json$/.exec(name);
          if (!m) continue;
          const id = m[1]!;
          const record = await get(id).catch(() => undefined);
          if (!record || record.uploadedAt >= olderThan || keep(id)) continue;
          const paths = photoPaths(id, record.type);
          // The record first: from then on the photo is unknown, then its files go.
          await rm(join(o.dir, paths.meta), { force: true });
          await rm(join(o.dir, paths.image!), { force: true });
          await rm(join(o.dir, paths.thumb), { force: true });
          deleted++;
        }
      }
      const now = o.realNow();
      for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
        const path = join(tmpDir, name);
        const s = await stat(path).catch(() => undefined);
        if (s && now - s.mtimeMs > TMP_MAX_AGE_MS) await rm(path, { force: true });
      }
      return deleted;
    },
  };
}

/** At most `n` holders at once; the others wait in order. */
function semaphore(n: number): () => Promise<() => void> {
  let free = n;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return async () => {
    if (free > 0) free--;
    else await new Promise<void>((go) => waiting.push(go));
    return release;
  };
}

function safePaths(id: string) {
  return PhotoId.safeParse(id).success ? photoPaths(id) : undefined;
}

function sniffed(head: Buffer): PhotoType {
  const type = sniffImageType(head);
  if (!type)
    throw new PhotoRefused(
      'not_an_image',
      head.length === 0
        ? 'the body is empty: send the image bytes'
        : 'the bytes are not a JPEG, PNG or WebP image (checked from the bytes, whatever the Content-Type or name)',
    );
  return type;
}

function tooLarge(max: number, declared?: number): PhotoRefused {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return new PhotoRefused(
    'too_large',
    declared !== undefined
      ? `the photo is ${mib(declared)}; at most ${mib(max)} is accepted`
      : `the photo is larger than ${mib(max)}, the most accepted`,
  );
}

/** What an upload answers (the protocol's PhotoUploadResult). */
export function uploadResult(p: PhotoRecord): PhotoUploadResult {
  return { id: p.id, width: p.width, height: p.height, bytes: p.bytes, type: p.type };
}
