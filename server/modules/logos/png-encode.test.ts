import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng } from './png-encode.js';
import { readPngDimensions } from './png.js';

function rgbaOf(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 4);
  for (let index = 0; index < pixels.length; index++) pixels[index] = (index * 7) % 256;
  return pixels;
}

describe('encodePng', () => {
  it('writes PNGs that the logo validator reads back at their size', () => {
    for (const [width, height] of [
      [246, 52],
      [1, 1],
      [17, 3],
    ] as const) {
      expect(readPngDimensions(encodePng(width, height, rgbaOf(width, height)))).toEqual({ width, height });
    }
  });

  it('keeps every pixel: the image data inflates to filter-0 scanlines of the input', () => {
    const rgba = rgbaOf(5, 2);
    const png = encodePng(5, 2, rgba);
    const idat = png.indexOf('IDAT', 8, 'latin1');
    const length = png.readUInt32BE(idat - 4);
    const scanlines = inflateSync(png.subarray(idat + 4, idat + 4 + length));
    expect(scanlines).toEqual(Buffer.concat([Buffer.from([0]), rgba.subarray(0, 20), Buffer.from([0]), rgba.subarray(20)]));
    // 8-bit RGBA, not interlaced.
    expect([...png.subarray(24, 29)]).toEqual([8, 6, 0, 0, 0]);
  });

  it('refuses a size the pixels do not fill, and sizes that are not positive whole numbers', () => {
    expect(() => encodePng(2, 2, Buffer.alloc(15))).toThrow(RangeError);
    expect(() => encodePng(0, 2, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => encodePng(1.5, 2, Buffer.alloc(12))).toThrow(RangeError);
  });
});
