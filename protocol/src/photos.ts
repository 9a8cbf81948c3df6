import { z } from 'zod';
import { EpochMs } from './geo.ts';

/**
 * Photos as evidence (issue #16). A photo is named by the SHA-256 of its bytes (lower-case hex): the same bytes uploaded
 * twice are one photo, and an id names nothing but 64 hex characters (no path, no case, no encoding tricks).
 */
export const PhotoId = z.string().regex(/^[0-9a-f]{64}$/, 'a photo id is the sha-256 of its bytes, 64 lower-case hex');
export type PhotoId = z.infer<typeof PhotoId>;

/** What a photo shows in a case's life: 处置前, 处置后, 上报, 核查, 返工. */
export const PhotoRole = z.enum(['before', 'after', 'report', 'verify', 'rework']);
export type PhotoRole = z.infer<typeof PhotoRole>;

/** A case's reference to a stored photo: which photo, what it shows, when it was attached and by whom. */
export const PhotoRef = z.object({
  id: PhotoId,
  role: PhotoRole,
  at: EpochMs,
  by: z.string().max(64).optional(),
});
export type PhotoRef = z.infer<typeof PhotoRef>;

/** The image types the hub accepts, sniffed from the bytes (never from a Content-Type or a file name). */
export const PhotoType = z.enum(['image/jpeg', 'image/png', 'image/webp']);
export type PhotoType = z.infer<typeof PhotoType>;

/** What the hub answers to an upload (`POST /api/photos`): 201 when stored, 200 when the bytes were already there. */
export const PhotoUploadResult = z.object({
  id: PhotoId,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
  type: PhotoType,
});
export type PhotoUploadResult = z.infer<typeof PhotoUploadResult>;

/** Default bound on an uploaded photo's size: 12 MiB (a phone's full-resolution JPEG is 2–8 MB). */
export const PHOTO_MAX_BYTES_DEFAULT = 12 * 1024 * 1024;
/** Default bound on an uploaded photo's pixels: 40 megapixels (checked from the header, before decoding). */
export const PHOTO_MAX_PIXELS_DEFAULT = 40_000_000;
/** The longest side of a thumbnail, in pixels. */
export const PHOTO_THUMB_PX = 320;
/** The most photos one case carries. */
export const PHOTO_MAX_PER_CASE = 40;

/** Why an upload was refused: 413 `too_large`, 415 `not_an_image`, 422 `too_many_pixels`. */
export const PhotoRefusalCode = z.enum(['too_large', 'not_an_image', 'too_many_pixels']);
export type PhotoRefusalCode = z.infer<typeof PhotoRefusalCode>;

/** The role labels in Chinese, for displays that show no i18n table (the console uses its i18n keys). */
export const PHOTO_ROLE_ZH: Record<PhotoRole, string> = {
  before: '处置前',
  after: '处置后',
  report: '上报',
  verify: '核查',
  rework: '返工',
};
