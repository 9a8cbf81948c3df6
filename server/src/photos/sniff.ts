import { PhotoId, type PhotoType } from '@egret/protocol';

/**
 * What an upload is, from its first bytes (magic numbers), and where a photo lives on disk. Pure: no I/O. The
 * Content-Type header and any file name are never trusted: a text file named `.jpg`, an SVG sent as `image/png`, or
 * a PDF are refused here before any decoder sees them (libvips can decode SVG and much else: only these three
 * formats are ever handed to it).
 */

/** Bytes needed to tell the three accepted formats apart (`RIFF....WEBPVP8`). */
export const SNIFF_BYTES = 16;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (b: Uint8Array, at: number, sig: readonly number[]) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * The image type of a file that starts with `head`, or undefined when it is not a JPEG, PNG or WebP.
 * JPEG: SOI `FF D8` then a marker's `FF`. PNG: the 8-byte signature then the `IHDR` chunk. WebP: a RIFF container
 * of form type `WEBP` whose first chunk is `VP8 `, `VP8L` or `VP8X`.
 */
export function sniffImageType(head: Uint8Array): PhotoType | undefined {
  if (startsWith(head, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, 0, PNG_MAGIC) && startsWith(head, 12, ascii('IHDR'))) return 'image/png';
  if (
    startsWith(head, 0, ascii('RIFF')) &&
    startsWith(head, 8, ascii('WEBP')) &&
    (startsWith(head, 12, ascii('VP8 ')) || startsWith(head, 12, ascii('VP8L')) || startsWith(head, 12, ascii('VP8X')))
  )
    return 'image/webp';
  return undefined;
}

/** The file extension of each accepted type. */
export const PHOTO_EXT: Readonly<Record<PhotoType, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** The Content-Type of a thumbnail (all thumbnails are WebP). */
export const THUMB_TYPE = 'image/webp';

/**
 * A photo id as a path segment, or undefined when it is not exactly 64 lower-case hex characters. The router hands
 * over the decoded segment: `..%2F`, upper-case hex, a trailing dot or slash all fail here, so no id ever names a
 * file outside the store.
 */
export function parsePhotoId(segment: unknown): string | undefined {
  const r = PhotoId.safeParse(segment);
  return r.success ? r.data : undefined;
}

/** Where a photo's files live under the store's folder: `ab/<id>.<ext>`, `ab/<id>.thumb.webp`, `ab/<id>.json`. */
export function photoPaths(id: string, type?: PhotoType): { dir: string; image?: string; thumb: string; meta: string } {
  if (!parsePhotoId(id)) throw new Error(`not a photo id: ${JSON.stringify(id)}`);
  const dir = id.slice(0, 2);
  return {
    dir,
    image: type ? `${dir}/${id}.${PHOTO_EXT[type]}` : undefined,
    thumb: `${dir}/${id}.thumb.webp`,
    meta: `${dir}/${id}.json`,
  };
}
