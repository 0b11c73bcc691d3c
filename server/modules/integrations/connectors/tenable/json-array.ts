/**
 * The bytes of each element of a JSON array, without parsing the array whole: an export chunk's
 * records are kept as the source sent them (the raw record of a signal), so they need not be
 * serialised again after parsing, and they travel to the database as bytes, never as one large
 * string. Works on the UTF-8 bytes: every byte JSON gives a meaning to (quotes, backslashes,
 * brackets, braces, commas, blanks) is ASCII, and no byte of a multi-byte UTF-8 character is. Strings
 * are skipped with indexOf (most of a chunk's bytes are in strings), brackets and braces are counted
 * outside them. The elements are views of `bytes` (nothing is copied).
 *
 * Returns null when the text is not an array (its first non-blank byte is not `[`). Throws a
 * SyntaxError when the array does not close, a string does not end, or something follows the
 * array. The elements are not validated here: the caller parses each one (JSON.parse), which
 * refuses anything malformed inside them, including an empty element (`[1,,2]`).
 */
export function splitJsonArray(bytes: Buffer): Buffer[] | null {
  const length = bytes.length;
  let at = skipBlanks(bytes, 0);
  if (bytes[at] !== OPEN_BRACKET) return null;
  at += 1;
  const elements: Buffer[] = [];
  let depth = 0;
  let start = -1;
  for (; at < length; at += 1) {
    const code = bytes[at]!;
    if (code === QUOTE) {
      if (start < 0) start = at;
      at = endOfString(bytes, at);
      continue;
    }
    if (depth === 0 && (code === COMMA || code === CLOSE_BRACKET)) {
      if (start >= 0) elements.push(bytes.subarray(start, trimmedEnd(bytes, start, at)));
      else if (code === COMMA || elements.length > 0) elements.push(bytes.subarray(at, at));
      start = -1;
      if (code === CLOSE_BRACKET) {
        if (skipBlanks(bytes, at + 1) !== length) throw new SyntaxError('Unexpected text after the JSON array');
        return elements;
      }
      continue;
    }
    if (isBlank(code)) continue;
    if (start < 0) start = at;
    if (code === OPEN_BRACKET || code === OPEN_BRACE) depth += 1;
    else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) depth -= 1;
    if (depth < 0) throw new SyntaxError('Unbalanced brackets in the JSON array');
  }
  throw new SyntaxError('The JSON array does not end (truncated?)');
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** JSON's own blanks: space, tab, line feed, carriage return. */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipBlanks(bytes: Buffer, from: number): number {
  let at = from;
  while (at < bytes.length && isBlank(bytes[at]!)) at += 1;
  return at;
}

function trimmedEnd(bytes: Buffer, start: number, end: number): number {
  let at = end;
  while (at > start && isBlank(bytes[at - 1]!)) at -= 1;
  return at;
}

/** The index of the quote that closes the string opening at `open` (one not escaped by an odd run of backslashes). */
function endOfString(bytes: Buffer, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) throw new SyntaxError('A string in the JSON array does not end (truncated?)');
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}
