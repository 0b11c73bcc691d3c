import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_FIXTURES } from '../../../../test/instance-api.js';
import { splitJsonArray as splitBytes } from './json-array.js';

/** The splitter over a text's UTF-8 bytes, its elements decoded back to text. */
function splitJsonArray(text: string): string[] | null {
  return splitBytes(Buffer.from(text, 'utf8'))?.map((element) => element.toString('utf8')) ?? null;
}

/** The elements as JSON.parse of the whole array sees them, and as the splitter's texts parse one by one. */
function bothWays(text: string): { whole: unknown; split: unknown } {
  const texts = splitJsonArray(text);
  return { whole: JSON.parse(text) as unknown, split: texts?.map((element) => JSON.parse(element) as unknown) };
}

describe('splitJsonArray', () => {
  it('gives each element as written, blanks around it dropped', () => {
    expect(splitJsonArray(' [ {"a": 1} ,\n\t[2, [3]] , "x" ,null,-1.5e3 ]\r\n')).toEqual(['{"a": 1}', '[2, [3]]', '"x"', 'null', '-1.5e3']);
    expect(splitJsonArray('[]')).toEqual([]);
    expect(splitJsonArray(' [ \n ] ')).toEqual([]);
  });

  it('is not fooled by brackets, braces, commas and escaped quotes inside strings', () => {
    const text = String.raw`[{"s": "a, b ] } [ {"}, {"q": "say \"hi\", ok", "b": "ends in a backslash \\", "c": "\\\"]"}, "\\"]`;
    const { whole, split } = bothWays(text);
    expect(split).toEqual(whole);
    expect(splitJsonArray(text)).toHaveLength(3);
  });

  it('agrees with JSON.parse on generated arrays of awkward values', () => {
    const pieces = ['"', '\\', ',', '[', ']', '{', '}', ' ', '\n', 'é', '\u2028', '\u001e', 'x', '日本', '🛡'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const value = (depth: number): unknown => {
      const pick = random();
      if (depth > 3 || pick < 0.3)
        return Array.from({ length: Math.floor(random() * 6) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      if (pick < 0.4) return Math.round(random() * 1e6) / 100;
      if (pick < 0.45) return null;
      if (pick < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, (_, index) => [`k${index}${pieces[index]}`, value(depth + 1)]),
      );
    };
    for (let round = 0; round < 200; round += 1) {
      const array = Array.from({ length: Math.floor(random() * 8) }, () => value(0));
      const text = JSON.stringify(array, null, round % 2 === 0 ? undefined : 2);
      expect(bothWays(text).split).toEqual(array);
    }
  });

  it('gives views of the bytes it was handed, multi-byte characters whole', () => {
    const bytes = Buffer.from('[ "é ] 日本", {"k": "🛡,"} ]', 'utf8');
    const elements = splitBytes(bytes);
    expect(elements?.map((element) => element.toString('utf8'))).toEqual(['"é ] 日本"', '{"k": "🛡,"}']);
    expect(elements?.every((element) => element.buffer === bytes.buffer)).toBe(true);
  });

  it('answers null for a body that is not an array', () => {
    expect(splitJsonArray('{"a": [1]}')).toBeNull();
    expect(splitJsonArray('  "text"')).toBeNull();
    expect(splitJsonArray('')).toBeNull();
  });

  it('refuses a truncated array, an unterminated string, extra text and unbalanced brackets', () => {
    expect(() => splitJsonArray('[{"a": 1}, {"b": 2}')).toThrow(SyntaxError);
    expect(() => splitJsonArray('[{"a": "no end}]')).toThrow(SyntaxError);
    expect(() => splitJsonArray('[1, 2] [3]')).toThrow(SyntaxError);
    expect(() => splitJsonArray('[1, 2]]')).toThrow(SyntaxError);
    expect(() => splitJsonArray('[1, }, 2]')).toThrow(SyntaxError);
  });

  it('leaves empty elements for JSON.parse to refuse', () => {
    expect(splitJsonArray('[1,,2]')).toEqual(['1', '', '2']);
    expect(splitJsonArray('[1,]')).toEqual(['1', '']);
    expect(splitJsonArray('[,1]')).toEqual(['', '1']);
  });

  it('splits every recorded Tenable export chunk of the real fixtures as JSON.parse reads it', () => {
    const folder = path.join(REAL_FIXTURES, 'tenable', 'extracted');
    const chunkFiles = fs.readdirSync(folder).filter((file) => /_chunks_\d+\.json$/.test(file));
    let records = 0;
    for (const file of chunkFiles) {
      const body = fs.readFileSync(path.join(folder, file), 'utf8');
      const whole = JSON.parse(body) as unknown[];
      expect(splitJsonArray(body)?.map((element) => JSON.parse(element) as unknown)).toEqual(whole);
      records += whole.length;
    }
    expect(chunkFiles.length).toBeGreaterThan(3);
    expect(records).toBeGreaterThan(0);
  });
});
