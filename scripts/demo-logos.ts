import { encodePng } from '../server/modules/logos/png-encode.js';
import type { DemoLogo } from './demo-data.js';

/**
 * Draws the demo's logos (a badge with initials, a word mark and an accent stripe) into RGBA
 * pixels and encodes them as PNG, so no binary file is committed. Pure and deterministic: the
 * same DemoLogo always gives the same bytes.
 */

type Rgba = readonly [number, number, number, number];

// A 5 x 7 pixel capital font: '#' is ink. Only what logo text needs.
const GLYPHS: Record<string, readonly string[]> = {
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  B: ['####.', '#...#', '#...#', '####.', '#...#', '#...#', '####.'],
  C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  D: ['###..', '#..#.', '#...#', '#...#', '#...#', '#..#.', '###..'],
  E: ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
  F: ['#####', '#....', '#....', '####.', '#....', '#....', '#....'],
  G: ['.###.', '#...#', '#....', '#.###', '#...#', '#...#', '.####'],
  H: ['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  I: ['.###.', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  J: ['..###', '...#.', '...#.', '...#.', '...#.', '#..#.', '.##..'],
  K: ['#...#', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '#...#'],
  L: ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
  M: ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
  N: ['#...#', '#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  Q: ['.###.', '#...#', '#...#', '#...#', '#.#.#', '#..#.', '.##.#'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
  T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  U: ['#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  V: ['#...#', '#...#', '#...#', '#...#', '#...#', '.#.#.', '..#..'],
  W: ['#...#', '#...#', '#...#', '#.#.#', '#.#.#', '#.#.#', '.#.#.'],
  X: ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
  Y: ['#...#', '#...#', '.#.#.', '..#..', '..#..', '..#..', '..#..'],
  Z: ['#####', '....#', '...#.', '..#..', '.#...', '#....', '#####'],
  '&': ['.##..', '#..#.', '#.#..', '.#...', '#.#.#', '#..#.', '.##.#'],
  '-': ['.....', '.....', '.....', '.###.', '.....', '.....', '.....'],
  ' ': ['.....', '.....', '.....', '.....', '.....', '.....', '.....'],
};
const GLYPH_WIDTH = 5;
const GLYPH_HEIGHT = 7;
const MAX_TEXT_SCALE = 3;

function parseColour(hex: string): Rgba {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`Not a #rrggbb colour: ${hex}`);
  return [parseInt(match[1] ?? '0', 16), parseInt(match[2] ?? '0', 16), parseInt(match[3] ?? '0', 16), 255];
}

/** Width in pixels of text at a scale: 5 pixels a glyph, 1 between glyphs. */
function measureText(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
}

function createCanvas(width: number, height: number) {
  const pixels = Buffer.alloc(width * height * 4);
  const fillRect = (left: number, top: number, rectWidth: number, rectHeight: number, colour: Rgba) => {
    for (let y = Math.max(0, top); y < Math.min(height, top + rectHeight); y++) {
      for (let x = Math.max(0, left); x < Math.min(width, left + rectWidth); x++) pixels.set(colour, (y * width + x) * 4);
    }
  };
  const drawText = (text: string, left: number, top: number, scale: number, colour: Rgba) => {
    [...text].forEach((character, index) => {
      const glyph = GLYPHS[character];
      if (!glyph) throw new Error(`The demo logo font has no ${JSON.stringify(character)}`);
      glyph.forEach((row, y) => {
        [...row].forEach((cell, x) => {
          if (cell === '#') fillRect(left + (index * (GLYPH_WIDTH + 1) + x) * scale, top + y * scale, scale, scale, colour);
        });
      });
    });
  };
  return { pixels, fillRect, drawText };
}

/** The logo's PNG bytes: its background (or transparent), a rounded badge with the initials, the word mark and a stripe. */
export function drawDemoLogo(logo: DemoLogo): Buffer {
  const { width, height } = logo;
  const canvas = createCanvas(width, height);
  if (logo.background) canvas.fillRect(0, 0, width, height, parseColour(logo.background));
  const margin = Math.max(3, Math.floor(height / 8));
  const badgeSize = height - 2 * margin;
  const accent = parseColour(logo.accent);
  canvas.fillRect(margin, margin, badgeSize, badgeSize, accent);
  // Round the badge: clear a small triangle in each corner back to the background.
  const corner: Rgba = logo.background ? parseColour(logo.background) : [0, 0, 0, 0];
  for (let step = 0; step < 3; step++) {
    const length = 3 - step;
    for (const [x, y] of [
      [margin, margin + step],
      [margin + badgeSize - length, margin + step],
      [margin, margin + badgeSize - 1 - step],
      [margin + badgeSize - length, margin + badgeSize - 1 - step],
    ] as const) {
      canvas.fillRect(x, y, length, 1, corner);
    }
  }
  const badgeScale = Math.max(1, Math.floor(Math.min((badgeSize - 6) / measureText(logo.initials, 1), (badgeSize - 6) / GLYPH_HEIGHT)));
  canvas.drawText(
    logo.initials,
    margin + Math.floor((badgeSize - measureText(logo.initials, badgeScale)) / 2),
    margin + Math.floor((badgeSize - GLYPH_HEIGHT * badgeScale) / 2),
    badgeScale,
    parseColour(logo.badgeText),
  );

  const textLeft = 2 * margin + badgeSize;
  const textRoom = width - textLeft - margin;
  let scale = MAX_TEXT_SCALE;
  // The word mark and its stripe (one text pixel below it, one text pixel tall) must fit.
  while (scale > 1 && (measureText(logo.wordMark, scale) > textRoom || (GLYPH_HEIGHT + 2) * scale > badgeSize)) scale--;
  if (measureText(logo.wordMark, scale) > textRoom) throw new Error(`The word mark of ${logo.name} does not fit in ${width} pixels.`);
  const textTop = margin + Math.floor((badgeSize - (GLYPH_HEIGHT + 2) * scale) / 2);
  canvas.drawText(logo.wordMark, textLeft, textTop, scale, parseColour(logo.foreground));
  canvas.fillRect(textLeft, textTop + (GLYPH_HEIGHT + 1) * scale, measureText(logo.wordMark, scale), scale, accent);
  return encodePng(width, height, canvas.pixels);
}
