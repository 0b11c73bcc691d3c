import { describe, expect, it } from 'vitest';
import { makePng } from '../../test/factories.js';
import { crc32, PngError, readPngDimensions } from './png.js';

describe('readPngDimensions', () => {
  it('reads the width and height of a whole PNG', () => {
    expect(readPngDimensions(makePng(246, 52))).toEqual({ width: 246, height: 52 });
    expect(readPngDimensions(makePng(1, 1))).toEqual({ width: 1, height: 1 });
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('IEND', 'latin1'))).toBe(0xae426082);
  });

  it('refuses files that are not PNGs', () => {
    expect(() => readPngDimensions(Buffer.from('GIF89a...........'))).toThrow('The file is not a PNG image.');
    expect(() => readPngDimensions(Buffer.alloc(0))).toThrow(PngError);
  });

  it('refuses a truncated PNG, a damaged chunk and trailing bytes', () => {
    const png = makePng(20, 10);
    expect(() => readPngDimensions(png.subarray(0, png.length - 12))).toThrow('The PNG file is truncated or damaged.');
    expect(() => readPngDimensions(png.subarray(0, 30))).toThrow('The PNG file is truncated or damaged.');
    const damaged = Buffer.from(png);
    damaged[40] = (damaged[40] ?? 0) ^ 0xff;
    expect(() => readPngDimensions(damaged)).toThrow('The PNG file is truncated or damaged.');
    expect(() => readPngDimensions(Buffer.concat([png, Buffer.from('x')]))).toThrow('The PNG file is truncated or damaged.');
  });
});
