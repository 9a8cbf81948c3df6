import { inflateSync } from 'node:zlib';

/** A decoded image: RGBA, 8 bits per channel, row by row. */
export interface Rgba8Image {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Decodes the PNGs Chromium writes (8-bit greyscale/RGB/RGBA, not interlaced) — enough to look at screenshots
 * without an image library.
 */
export function decodePng(png: Uint8Array): Rgba8Image {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (view.getUint32(0) !== 0x89504e47) throw new Error('not a PNG');
  let width = 0,
    height = 0,
    colorType = 0,
    bitDepth = 0,
    interlace = 0;
  const idat: Uint8Array[] = [];
  for (let o = 8; o < png.byteLength;) {
    const length = view.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    const body = png.subarray(o + 8, o + 8 + length);
    if (type === 'IHDR') {
      const h = new DataView(body.buffer, body.byteOffset, body.byteLength);
      width = h.getUint32(0);
      height = h.getUint32(4);
      bitDepth = h.getUint8(8);
      colorType = h.getUint8(9);
      interlace = h.getUint8(12);
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    o += 12 + length;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (bitDepth !== 8 || interlace !== 0 || !channels)
    throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels]! : 0;
      const b = up[x]!;
      const c = x >= channels ? up[x - channels]! : 0;
      let v = src[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      row[x] = v & 0xff;
    }
  }
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    data[i * 4] = pixels[s]!;
    data[i * 4 + 1] = grey ? pixels[s]! : pixels[s + 1]!;
    data[i * 4 + 2] = grey ? pixels[s]! : pixels[s + 2]!;
    data[i * 4 + 3] = channels === 4 ? pixels[s + 3]! : channels === 2 ? pixels[s + 1]! : 255;
  }
  return { width, height, data };
}

/** Distinct colours and pixels unlike `background` within a box of the image. */
export function pixelStats(
  img: Rgba8Image,
  box: { x: number; y: number; width: number; height: number },
  background: [number, number, number],
) {
  const colours = new Set<number>();
  let differing = 0;
  let total = 0;
  const x0 = Math.max(0, Math.floor(box.x)),
    y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.floor(box.x + box.width)),
    y1 = Math.min(img.height, Math.floor(box.y + box.height));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * 4;
      const r = img.data[i]!,
        g = img.data[i + 1]!,
        b = img.data[i + 2]!;
      colours.add((r << 16) | (g << 8) | b);
      total++;
      if (Math.abs(r - background[0]) + Math.abs(g - background[1]) + Math.abs(b - background[2]) > 24) differing++;
    }
  }
  return { distinctColours: colours.size, differing, total };
}

/** Pixels within `tolerance` (sum of channel differences) of a colour, within a box. */
export function countColour(
  img: Rgba8Image,
  box: { x: number; y: number; width: number; height: number },
  colour: readonly number[],
  tolerance = 30,
): number {
  let n = 0;
  const x0 = Math.max(0, Math.floor(box.x)),
    y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.floor(box.x + box.width)),
    y1 = Math.min(img.height, Math.floor(box.y + box.height));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * 4;
      if (
        Math.abs(img.data[i]! - colour[0]!) +
          Math.abs(img.data[i + 1]! - colour[1]!) +
          Math.abs(img.data[i + 2]! - colour[2]!) <=
        tolerance
      )
        n++;
    }
  }
  return n;
}
