import { describe, expect, it } from 'vitest';
import { parsePhotoId, photoPaths, sniffImageType } from './sniff.ts';

const bytes = (...parts: Array<string | number[]>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ID = 'ab'.padEnd(64, '0');

describe('sniffImageType: the type from the bytes, never from a header or a name', () => {
  it('knows JPEG, PNG and WebP by their magic numbers', () => {
    expect(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe('image/jpeg');
    expect(sniffImageType(bytes(PNG_SIG, [0, 0, 0, 13], 'IHDR'))).toBe('image/png');
    expect(sniffImageType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffImageType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8L'))).toBe('image/webp');
    expect(sniffImageType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8X'))).toBe('image/webp');
  });

  it('refuses text, SVG, GIF, PDF, a WAV (RIFF but not WebP), a cut signature and nothing at all', () => {
    expect(sniffImageType(bytes('hello, I am a .jpg'))).toBeUndefined();
    expect(sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeUndefined();
    expect(sniffImageType(bytes('<?xml version="1.0"?><svg>'))).toBeUndefined();
    expect(sniffImageType(bytes('GIF89a\x01\x00\x01\x00'))).toBeUndefined();
    expect(sniffImageType(bytes('%PDF-1.7\n%'))).toBeUndefined();
    expect(sniffImageType(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBeUndefined();
    expect(sniffImageType(bytes('RIFF', [1, 2, 3, 4], 'WEBPJUNK'))).toBeUndefined();
    expect(sniffImageType(bytes(PNG_SIG, [0, 0, 0, 13], 'tEXt'))).toBeUndefined();
    expect(sniffImageType(bytes(PNG_SIG.slice(0, 6)))).toBeUndefined();
    expect(sniffImageType(bytes([0xff, 0xd8]))).toBeUndefined();
    expect(sniffImageType(new Uint8Array())).toBeUndefined();
  });
});

describe('photo ids and paths', () => {
  it('takes exactly 64 lower-case hex characters', () => {
    expect(parsePhotoId(ID)).toBe(ID);
    expect(parsePhotoId(ID.toUpperCase())).toBeUndefined();
    expect(parsePhotoId(ID.slice(1))).toBeUndefined();
    expect(parsePhotoId(`${ID}0`)).toBeUndefined();
    expect(parsePhotoId(`${ID}.`)).toBeUndefined();
    expect(parsePhotoId(`${ID}/`)).toBeUndefined();
    expect(parsePhotoId(`${ID}\n`)).toBeUndefined();
    expect(parsePhotoId(`../${ID.slice(3)}`)).toBeUndefined();
    expect(parsePhotoId(`..%2F${ID.slice(5)}`)).toBeUndefined();
    expect(parsePhotoId(ID.replace('0', 'g'))).toBeUndefined();
    expect(parsePhotoId(undefined)).toBeUndefined();
    expect(parsePhotoId(['a'])).toBeUndefined();
  });

  it('shards by the first two characters and never builds a path from anything else', () => {
    expect(photoPaths(ID, 'image/jpeg')).toEqual({
      dir: 'ab',
      image: `ab/${ID}.jpg`,
      thumb: `ab/${ID}.thumb.webp`,
      meta: `ab/${ID}.json`,
    });
    expect(photoPaths(ID, 'image/png').image).toBe(`ab/${ID}.png`);
    expect(photoPaths(ID, 'image/webp').image).toBe(`ab/${ID}.webp`);
    expect(photoPaths(ID).image).toBeUndefined();
    expect(() => photoPaths('../../etc/passwd')).toThrow(/not a photo id/);
    expect(() => photoPaths(ID.toUpperCase())).toThrow(/not a photo id/);
  });
});
