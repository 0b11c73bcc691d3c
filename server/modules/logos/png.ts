/**
 * Reads a PNG's dimensions after checking that it is a whole PNG: the signature, IHDR as the
 * first chunk, every chunk's CRC, and IEND as the last chunk with nothing after it. Pure: no I/O.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class PngError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PngError';
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG (and zlib) define it. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const NOT_PNG = 'The file is not a PNG image.';
const DAMAGED = 'The PNG file is truncated or damaged.';

export function readPngDimensions(buffer: Buffer): { width: number; height: number } {
  if (buffer.length < SIGNATURE.length || !buffer.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new PngError(NOT_PNG);
  let offset = SIGNATURE.length;
  let dimensions: { width: number; height: number } | null = null;
  while (offset < buffer.length) {
    if (offset + 12 > buffer.length) throw new PngError(DAMAGED);
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (length > 0x7fffffff || end > buffer.length) throw new PngError(DAMAGED);
    const expectedCrc = buffer.readUInt32BE(offset + 8 + length);
    if (crc32(buffer.subarray(offset + 4, offset + 8 + length)) !== expectedCrc) throw new PngError(DAMAGED);
    if (dimensions === null) {
      if (type !== 'IHDR' || length !== 13) throw new PngError(NOT_PNG);
      dimensions = { width: buffer.readUInt32BE(offset + 8), height: buffer.readUInt32BE(offset + 12) };
      if (dimensions.width === 0 || dimensions.height === 0) throw new PngError(DAMAGED);
    }
    offset = end;
    if (type === 'IEND') {
      if (offset !== buffer.length) throw new PngError(DAMAGED);
      return dimensions;
    }
  }
  throw new PngError(DAMAGED);
}
