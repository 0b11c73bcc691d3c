import { deflateSync } from 'node:zlib';
import { crc32 } from './png.js';

/**
 * Encodes an RGBA pixel buffer (4 bytes a pixel, rows top to bottom) as a PNG: 8-bit RGBA, no
 * interlace, filter 0 on every row. Small and dependency-free, for generated images (demo logos,
 * test files); the result passes readPngDimensions. Pure: no I/O.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BYTES_PER_PIXEL = 4;

function encodeChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const chunk = Buffer.alloc(body.length + 8);
  chunk.writeUInt32BE(data.length, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), chunk.length - 4);
  return chunk;
}

export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff) {
    throw new RangeError(`A PNG needs a positive whole width and height, not ${width} x ${height}.`);
  }
  const stride = width * BYTES_PER_PIXEL;
  if (rgba.length !== stride * height) {
    throw new RangeError(`${width} x ${height} RGBA pixels take ${stride * height} bytes, not ${rgba.length}.`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, filter method 0, no interlace
  const scanlines = Buffer.alloc((stride + 1) * height);
  for (let row = 0; row < height; row++) {
    // Each scanline starts with its filter type byte, 0 (None).
    rgba.copy(scanlines, row * (stride + 1) + 1, row * stride, (row + 1) * stride);
  }
  return Buffer.concat([
    SIGNATURE,
    encodeChunk('IHDR', header),
    encodeChunk('IDAT', deflateSync(scanlines)),
    encodeChunk('IEND', Buffer.alloc(0)),
  ]);
}
