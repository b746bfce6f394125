import { deflateSync } from 'node:zlib';

// Charts for mail: many mail clients show neither SVG nor scripts, so the digest's charts go
// out as small PNG images drawn here, pixel by pixel (bars and digits; the labels and every
// value are in the text beside the image and in its alt text).

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB image as PNG bytes (8-bit, no interlace, filter 0 on every row). */
export function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// 3x5 digits, one row per string, '1' = ink.
const DIGITS: Record<string, string[]> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '010', '010', '010'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
};

/** Horizontal bars, one per value in order, each with its number drawn after it. */
export function barChartPng(values: number[], options: { width?: number; rowHeight?: number } = {}): Buffer {
  const width = options.width ?? 480;
  const rowHeight = options.rowHeight ?? 24;
  const height = Math.max(1, values.length) * rowHeight + 8;
  const rgb = Buffer.alloc(width * height * 3, 0xff);
  const paint = (x: number, y: number, w: number, h: number, colour: [number, number, number]) => {
    for (let yy = Math.max(0, y); yy < Math.min(height, y + h); yy++)
      for (let xx = Math.max(0, x); xx < Math.min(width, x + w); xx++) {
        const at = (yy * width + xx) * 3;
        rgb[at] = colour[0];
        rgb[at + 1] = colour[1];
        rgb[at + 2] = colour[2];
      }
  };
  const max = Math.max(1, ...values);
  const scale = 3; // each font pixel is 3x3
  const room = width - 8 - 8 * 4 * scale;
  values.forEach((value, i) => {
    const y = 4 + i * rowHeight;
    const length = Math.max(2, Math.round((value / max) * room));
    paint(4, y + 4, length, rowHeight - 8, [0x9e, 0x1b, 0x1b]);
    let x = 4 + length + 6;
    for (const digit of String(value)) {
      DIGITS[digit]?.forEach((row, ry) =>
        [...row].forEach((ink, rx) => {
          if (ink === '1') paint(x + rx * scale, y + 4 + ry * scale, scale, scale, [0x1b, 0x1b, 0x1b]);
        }),
      );
      x += 4 * scale;
    }
  });
  return encodePng(width, height, rgb);
}
