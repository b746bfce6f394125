import { inflateSync } from 'node:zlib';
import { barChartPng, encodePng } from './png-chart';

describe('PNG charts for mail', () => {
  it('writes a valid PNG: signature, header, pixels that decode back', () => {
    const png = encodePng(2, 1, Buffer.from([255, 0, 0, 0, 0, 255]));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(2);
    expect(png.readUInt32BE(20)).toBe(1);
    const idat = png.indexOf('IDAT');
    const length = png.readUInt32BE(idat - 4);
    expect(inflateSync(png.subarray(idat + 4, idat + 4 + length))).toEqual(Buffer.from([0, 255, 0, 0, 0, 0, 255]));
  });

  it('draws one bar per value, the longest for the largest', () => {
    const png = barChartPng([3, 12, 0], { width: 200, rowHeight: 20 });
    expect(png.readUInt32BE(16)).toBe(200);
    expect(png.readUInt32BE(20)).toBe(3 * 20 + 8);
    const idat = png.indexOf('IDAT');
    const pixels = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    const redRun = (row: number) => {
      const start = row * (200 * 3 + 1) + 1;
      let run = 0;
      for (let x = 0; x < 200; x++) if (pixels[start + x * 3] === 0x9e && pixels[start + x * 3 + 1] === 0x1b) run++;
      return run;
    };
    // The middle of each bar's row: bar 2 (12) is longest, bar 3 (0) a sliver.
    const [a, b, c] = [4 + 10, 24 + 10, 44 + 10].map(redRun);
    expect(b).toBeGreaterThan(a);
    expect(a).toBeGreaterThan(c);
    expect(c).toBeGreaterThan(0);
  });
});
