/**
 * Draws the field terminal's app icons (display/public/field/icons/*.png): a white map pin on the field app's blue,
 * anti-aliased by 4×4 supersampling, written as PNG with node:zlib — no image library. Run once after changing the
 * design: `npx tsx scripts/field-icons.ts`; the PNGs are committed.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../display/public/field/icons');
const BLUE = [0x00, 0x50, 0xc8];

/** Whether (x, y), in units of the icon's size (0..1), lies on the pin. `inset` shrinks it for maskable icons. */
function onPin(x: number, y: number, inset: number): boolean {
  const s = 1 - 2 * inset;
  const u = (x - inset) / s;
  const v = (y - inset) / s;
  const cx = 0.5;
  const cy = 0.4;
  const r = 0.24;
  const d = Math.hypot(u - cx, v - cy);
  if (d < 0.09) return false; // the hole
  if (d <= r) return true;
  // The point: a triangle from the circle's sides down to (0.5, 0.86).
  const tip = 0.86;
  if (v < cy || v > tip) return false;
  const half = r * ((tip - v) / (tip - cy)) * 0.92;
  return Math.abs(u - cx) <= half;
}

function png(size: number, inset: number, rounded: boolean): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const n = 4;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      let pin = 0;
      let inside = 0;
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) {
          const fx = (x + (sx + 0.5) / n) / size;
          const fy = (y + (sy + 0.5) / n) / size;
          const corner = 0.18;
          const dx = Math.max(corner - fx, fx - (1 - corner), 0);
          const dy = Math.max(corner - fy, fy - (1 - corner), 0);
          if (!rounded || Math.hypot(dx, dy) <= corner) inside++;
          if (onPin(fx, fy, inset)) pin++;
        }
      const a = pin / (n * n);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = Math.round(BLUE[0]! * (1 - a) + 255 * a);
      raw[o + 1] = Math.round(BLUE[1]! * (1 - a) + 255 * a);
      raw[o + 2] = Math.round(BLUE[2]! * (1 - a) + 255 * a);
      raw[o + 3] = Math.round((255 * inside) / (n * n));
    }
  }
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(resolve(OUT, 'icon-192.png'), png(192, 0.08, true));
writeFileSync(resolve(OUT, 'icon-512.png'), png(512, 0.08, true));
// Maskable: full bleed, the pin inside the 80% safe zone.
writeFileSync(resolve(OUT, 'icon-maskable-512.png'), png(512, 0.16, false));
