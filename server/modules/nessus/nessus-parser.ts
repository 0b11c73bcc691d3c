import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { NessusFormatError, type NessusFormatErrorReason } from './nessus-errors.js';
import type {
  NessusAttachment,
  NessusComplianceFields,
  NessusComplianceResult,
  NessusHost,
  NessusItemBase,
  NessusParseSummary,
  NessusPolicy,
  NessusRecord,
  NessusScanInfo,
  NessusSeverity,
  NessusSeverityCounts,
  NessusWarning,
} from './nessus-records.js';

/**
 * Streaming reader of Nessus `.nessus` v2 files (saxes, no DOM).
 *
 * Guarantees:
 * - Never holds the file: it pulls one chunk from the source only when the consumer asks for the
 *   next batch of records (an async generator), so a consumer that awaits a database write
 *   between batches holds the reading back; memory is bounded by one chunk, one batch, the policy
 *   and the host being read.
 * - Every text is capped (`maxTextLength` characters, `maxPolicyTextLength` inside the Policy) and
 *   cut with a marker beyond that; every other markup construct (tag, attribute value, comment,
 *   DOCTYPE, processing instruction) is capped by `maxMarkupLength` and refused beyond it. saxes
 *   itself keeps a text in one string until the next tag, so the reader moves saxes' pending text
 *   into its own capped buffer after every chunk (see `drainSaxesText`).
 * - Never expands entities: a DOCTYPE is refused through saxes' `doctype` event (before any of
 *   its declarations is used; saxes never expands them anyway), and an entity reference other
 *   than the five XML ones or a character reference is refused. Escaped text such as
 *   `&lt;!DOCTYPE html&gt;` inside a plugin output is just text.
 * - Bad input throws one NessusFormatError whose message names the line and column where reading
 *   stopped; records already yielded must then be discarded by the consumer (the import runs in
 *   one transaction).
 */

export interface ParseNessusOptions {
  /** Records per yielded batch (about: one slice's records are never split). Default 250. */
  batchSize?: number;
  /** Longest kept text of a host or item element, in characters. Default 1 MiB. */
  maxTextLength?: number;
  /** Longest kept text inside the Policy (plugin_set lists every plugin id). Default 16 MiB. */
  maxPolicyTextLength?: number;
  /** Longest tag, attribute value, comment, DOCTYPE or processing instruction. Default 16 MiB. */
  maxMarkupLength?: number;
  /** Refuse inputs larger than this many bytes; null (default) for no limit. */
  maxBytes?: number | null;
  /** Invalid UTF-8 bytes: replaced by U+FFFD with a warning (default), or the file is refused. */
  invalidUtf8?: 'replace' | 'refuse';
}

export type NessusInput = AsyncIterable<Buffer | Uint8Array | string>;

const MiB = 1024 * 1024;
/** Largest piece of decoded text given to saxes at once, so batches can be yielded in between. */
const SLICE = 256 * 1024;
/** Bytes looked at before choosing a decoder (BOM, `<?xml … encoding="…"?>`, compressed files). */
const SNIFF_BYTES = 1024;
const DOCTYPE_EARLY_REFUSAL = 64 * 1024;
const MAX_POLICY_ENTRIES = 1_000_000;
const MAX_ATTRIBUTES = 10_000;

/**
 * Parse a `.nessus` v2 document and yield its records in batches (see nessus-records.ts). The
 * last record of the last batch is always `{ kind: 'end' }`.
 *
 * @example
 * for await (const batch of parseNessus(fs.createReadStream(file))) {
 *   await db.transaction(...batch); // reading waits while the batch is written
 * }
 */
export async function* parseNessus(input: NessusInput, options: ParseNessusOptions = {}): AsyncGenerator<NessusRecord[], void, undefined> {
  const batchSize = Math.max(1, options.batchSize ?? 250);
  const maxBytes = options.maxBytes ?? null;
  const reader = createNessusReader({
    maxTextLength: options.maxTextLength ?? MiB,
    maxPolicyTextLength: options.maxPolicyTextLength ?? 16 * MiB,
    maxMarkupLength: options.maxMarkupLength ?? 16 * MiB,
  });
  const decoder = createDecoder(options.invalidUtf8 ?? 'replace', reader);

  function* feed(text: string): Generator<NessusRecord[]> {
    let start = 0;
    while (start < text.length) {
      let end = Math.min(text.length, start + SLICE);
      // Never split a surrogate pair between two writes.
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end += 1;
      reader.write(start === 0 && end === text.length ? text : text.slice(start, end));
      start = end;
      if (reader.pendingCount() >= batchSize) yield reader.takeRecords();
    }
  }

  for await (const chunk of input) {
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    reader.addBytes(size);
    if (maxBytes !== null && reader.bytesRead() > maxBytes) {
      reader.fail('too-large', `The file is larger than the configured limit of ${formatBytes(maxBytes)}.`);
    }
    yield* feed(decoder.decode(chunk));
  }
  yield* feed(decoder.end());
  reader.end(decoder.warnings());
  yield reader.takeRecords();
}

/** parseNessus over a file read in 256 KiB chunks. */
export function parseNessusFile(path: string, options: ParseNessusOptions = {}): AsyncGenerator<NessusRecord[], void, undefined> {
  return parseNessus(createReadStream(path, { highWaterMark: 256 * 1024 }), options);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${(bytes / (1024 * MiB)).toFixed(1)} GB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MB`;
  return `${bytes} bytes`;
}

// ---------------------------------------------------------------------------------------------
// Bytes to text

interface Decoder {
  decode(chunk: Buffer | Uint8Array | string): string;
  end(): string;
  warnings(): NessusWarning[];
}

type Charset = 'utf8' | 'latin1' | { decoder: TextDecoder };

function createDecoder(invalidUtf8: 'replace' | 'refuse', reader: NessusReader): Decoder {
  let head: Buffer | null = Buffer.alloc(0);
  let charset: Charset = 'utf8';
  let carry: Buffer | null = null;
  let invalidBlocks = 0;
  let firstInvalidLine = 0;

  function choose(bytes: Buffer): Charset {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      reader.fail('compressed', 'The file is compressed (gzip), not a .nessus XML file; extract the .nessus file first.', 1, 1);
    }
    if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
      reader.fail('compressed', 'The file is a ZIP archive, not a .nessus XML file; extract the .nessus file first.', 1, 1);
    }
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { decoder: new TextDecoder('utf-16le') };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { decoder: new TextDecoder('utf-16be') };
    const declared = /^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(bytes.toString('latin1'))?.[1];
    if (declared === undefined) return 'utf8';
    const name = declared.toLowerCase();
    if (['utf-8', 'utf8', 'us-ascii', 'ascii'].includes(name)) return 'utf8';
    if (['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'l1'].includes(name)) return 'latin1';
    if (['windows-1252', 'cp1252'].includes(name)) return { decoder: new TextDecoder('windows-1252') };
    return reader.fail(
      'encoding',
      `The file declares the character encoding "${declared}", which Bulwark cannot read; save it as UTF-8 and try again.`,
      1,
      1,
    );
  }

  function decodeBytes(bytes: Buffer, isFinal: boolean): string {
    if (typeof charset === 'object') return charset.decoder.decode(bytes, { stream: !isFinal });
    if (charset === 'latin1') return bytes.toString('latin1');
    let body = carry === null ? bytes : Buffer.concat([carry, bytes]);
    carry = null;
    if (!isFinal) {
      const cut = completeUtf8Length(body);
      if (cut < body.length) {
        carry = Buffer.from(body.subarray(cut));
        body = body.subarray(0, cut);
      }
    }
    if (!isUtf8(body)) {
      if (invalidUtf8 === 'refuse') {
        reader.fail('encoding', 'The file is not valid UTF-8 text; save it as UTF-8 and try again.');
      }
      if (invalidBlocks === 0) firstInvalidLine = reader.line();
      invalidBlocks += 1;
    }
    return body.toString('utf8');
  }

  return {
    decode(chunk) {
      if (typeof chunk === 'string') {
        if (head !== null && head.length > 0) reader.fail('malformed', 'The input mixes bytes and text chunks.');
        head = null;
        return chunk;
      }
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (head !== null) {
        head = Buffer.concat([head, bytes]);
        if (head.length < SNIFF_BYTES) return '';
        charset = choose(head);
        const first = head;
        head = null;
        return decodeBytes(first, false);
      }
      return decodeBytes(bytes, false);
    },
    end() {
      if (head !== null) {
        const first = head;
        head = null;
        if (first.length === 0) return '';
        charset = choose(first);
        return decodeBytes(first, true);
      }
      return decodeBytes(Buffer.alloc(0), true);
    },
    warnings() {
      if (invalidBlocks === 0) return [];
      return [
        {
          code: 'invalid-utf8',
          message: `The file is not entirely valid UTF-8: invalid bytes were replaced by the character U+FFFD (first in the part starting at line ${firstInvalidLine}).`,
        },
      ];
    },
  };
}

/** Length of the prefix of `bytes` that does not end inside a multi-byte UTF-8 sequence. */
function completeUtf8Length(bytes: Buffer): number {
  let index = bytes.length - 1;
  let continuation = 0;
  while (index >= 0 && continuation < 3 && ((bytes[index] ?? 0) & 0xc0) === 0x80) {
    index -= 1;
    continuation += 1;
  }
  if (index < 0) return bytes.length;
  const lead = bytes[index] ?? 0;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return index + needed > bytes.length ? index : bytes.length;
}

// ---------------------------------------------------------------------------------------------
// Text to records

/** The parts of saxes 6 the reader relies on to bound memory (not in saxes' typings). */
interface SaxesInternals {
  text: string;
  state: number;
  entity: string;
  name: string;
  piTarget: string;
  entityReturnState: number | undefined;
  attribList: unknown[];
}
// saxes 6 state numbers (saxes.js): text, entity, CDATA and its two ending states, DOCTYPE/DTD.
const S_TEXT = 13;
const S_ENTITY = 14;
const S_CDATA = 20;
const S_CDATA_ENDING_2 = 22;
const S_DOCTYPE = 2;
const S_DTD_PI_ENDING = 12;

function internalsOf(parser: SaxesParser): SaxesInternals {
  const internals = parser as unknown as SaxesInternals;
  if (typeof internals.text !== 'string' || typeof internals.state !== 'number' || typeof internals.entity !== 'string') {
    throw new Error('saxes internals changed: update drainSaxesText in nessus-parser.ts');
  }
  return internals;
}

interface ReaderOptions {
  maxTextLength: number;
  maxPolicyTextLength: number;
  maxMarkupLength: number;
}

interface NessusReader {
  write(text: string): void;
  end(extraWarnings: NessusWarning[]): void;
  takeRecords(): NessusRecord[];
  pendingCount(): number;
  addBytes(count: number): void;
  bytesRead(): number;
  line(): number;
  fail(reason: NessusFormatErrorReason, what: string, line?: number, column?: number): never;
}

interface PolicyBuilder extends NessusPolicy {
  entries: number;
}

const ROOT = 'NessusClientData_v2';

function createNessusReader(options: ReaderOptions): NessusReader {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const internals = internalsOf(parser);
  const records: NessusRecord[] = [];
  const hash = createHash('sha256');
  let canonical = '';
  let bytes = 0;

  // Element stack and the text of the current element (capped).
  const stack: string[] = [];
  let text = '';
  let textTotal = 0;
  let textCap = options.maxTextLength;
  let isLeaf = false;
  let hasContent = false;
  let sawRoot = false;
  let isEnding = false;
  let headLooksLikeHtml = false;

  // Scan, policy, host and item being read.
  let policy: PolicyBuilder | null = null;
  let policyDepth = -1;
  let pending: Record<string, string> = {};
  const scan: NessusScanInfo = { reportName: null, reportType: null, reportAttributes: {}, policy: null };
  let isScanEmitted = false;
  let reportDepth = -1;
  let host: NessusHost | null = null;
  let hostDepth = -1;
  let isHostEmitted = false;
  let hostPropertiesDepth = -1;
  let tagName: string | null = null;
  let item: NessusItemBase | null = null;
  let compliance: NessusComplianceFields | null = null;
  let itemDepth = -1;
  let attachmentAttributes: Record<string, string> = {};

  // Totals.
  let hostCount = 0;
  let itemCount = 0;
  let findingCount = 0;
  let complianceCount = 0;
  const findingsBySeverity: NessusSeverityCounts = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  const complianceByResult: Record<string, number> = {};
  let startedAt: string | null = null;
  let endedAt: string | null = null;
  let truncatedCount = 0;
  let firstTruncation = '';
  const warnings: NessusWarning[] = [];

  function fail(reason: NessusFormatErrorReason, what: string, line = parser.line, column = Math.max(1, parser.column)): never {
    throw new NessusFormatError(reason, `${what} Reading stopped at line ${line}, column ${column}.`, line, column);
  }

  function appendText(piece: string): void {
    textTotal += piece.length;
    if (text.length >= textCap) return;
    text += text.length + piece.length <= textCap ? piece : piece.slice(0, textCap - text.length);
  }

  /** The current element's text, capped with a marker; resets the buffer (wasTextTruncated tells whether it was cut). */
  let wasTextTruncated = false;
  function takeText(): string {
    let value = text;
    const total = textTotal;
    text = '';
    textTotal = 0;
    wasTextTruncated = total > value.length;
    if (!wasTextTruncated) return value;
    if (isHighSurrogate(value.charCodeAt(value.length - 1))) value = value.slice(0, -1);
    return `${value}\n[truncated by Bulwark: the original text has ${total} characters; the first ${value.length} are kept]`;
  }

  /** Add a trimmed text to the fingerprint; long texts go straight to the hash (no extra copy). */
  function hashText(trimmed: string): void {
    if (trimmed.length < 256) {
      canonical += `\u0000"${trimmed}`;
      return;
    }
    hash.update(`${canonical}\u0000"`);
    canonical = '';
    hash.update(trimmed);
  }

  function noteTruncation(where: string): void {
    truncatedCount += 1;
    if (firstTruncation === '') firstTruncation = `${where}, line ${parser.line}`;
  }

  function emit(record: NessusRecord): void {
    records.push(record);
  }

  function emitScan(): void {
    if (isScanEmitted) return;
    isScanEmitted = true;
    scan.policy = policy === null ? null : toPolicy(policy);
    emit({ kind: 'scan', scan: { ...scan } });
  }

  function emitHost(): void {
    if (host === null || isHostEmitted) return;
    isHostEmitted = true;
    completeHost(host);
    if (host.startedAt !== null && (startedAt === null || host.startedAt < startedAt)) startedAt = host.startedAt;
    if (host.endedAt !== null && (endedAt === null || host.endedAt > endedAt)) endedAt = host.endedAt;
    emit({ kind: 'host', host: { ...host, properties: { ...host.properties }, truncatedFields: [...host.truncatedFields] } });
  }

  function openRoot(name: string): void {
    sawRoot = true;
    if (name === ROOT) return;
    if (name.toLowerCase() === 'html' || headLooksLikeHtml) {
      fail('html', 'This is an HTML page (perhaps a login or error page saved instead of the scan), not a .nessus file.');
    }
    if (name === 'NessusClientData') {
      fail(
        'nessus-v1',
        'This is a Nessus v1 file (root element <NessusClientData>), a format Bulwark does not read; export the scan again as "Nessus" (.nessus v2, root element <NessusClientData_v2>).',
      );
    }
    fail(
      'wrong-root',
      `This is not a Nessus v2 file: its root element is <${name}>, but a .nessus v2 file has the root element <${ROOT}>.`,
    );
  }

  function onOpenTag(tag: SaxesTagPlain): void {
    const { name, attributes } = tag;
    const depth = stack.length;
    if (textTotal > 0) flushMixedText();
    canonical += `\u0000<${name}${canonicalAttributes(attributes)}`;
    isLeaf = true;
    if (depth === 0) openRoot(name);

    if (itemDepth >= 0) {
      if (depth === itemDepth + 1 && name === 'attachment') attachmentAttributes = attributes;
    } else if (name === 'ReportItem') {
      openItem(attributes, depth);
    } else if (hostPropertiesDepth >= 0) {
      if (depth === hostPropertiesDepth + 1 && name === 'tag') tagName = attributes['name'] ?? '';
    } else if (name === 'HostProperties' && depth === hostDepth + 1) {
      hostPropertiesDepth = depth;
      if (isHostEmitted) {
        warnings.push({
          code: 'late-host-properties',
          message: `Host ${host?.name ?? ''} has HostProperties after its items (line ${parser.line}); the host record is sent again with them.`,
        });
        isHostEmitted = false;
      }
    } else if (name === 'ReportHost') {
      if (depth !== reportDepth + 1 || reportDepth < 0) fail('invalid-item', 'A <ReportHost> element is outside a <Report> element.');
      openHost(attributes, depth);
    } else if (name === 'Report' && depth === 1) {
      reportDepth = depth;
      if (!isScanEmitted) {
        scan.reportName = attributes['name'] ?? null;
        scan.reportType = attributes['type'] ?? null;
        scan.reportAttributes = { ...attributes };
      }
      emitScan();
    } else if (name === 'Policy' && depth === 1) {
      policyDepth = depth;
      policy = newPolicy();
      if (isScanEmitted) {
        warnings.push({
          code: 'policy-after-report',
          message: `The Policy comes after the Report (line ${parser.line}); it is only in the end summary.`,
        });
      }
    }
    textCap = policyDepth >= 0 ? options.maxPolicyTextLength : options.maxTextLength;
    stack.push(name);
  }

  /** Text before a child element (mixed content, never in real files) still counts for the fingerprint. */
  function flushMixedText(): void {
    const trimmed = takeText().trim();
    if (trimmed.length > 0) hashText(trimmed);
  }

  function onCloseTag(tag: SaxesTagPlain): void {
    const { name } = tag;
    stack.pop();
    const depth = stack.length;
    const wasLeaf = isLeaf;
    isLeaf = false;
    let value = '';
    if (textTotal > 0) value = takeText();
    else wasTextTruncated = false;
    const isTruncated = wasTextTruncated;
    const trimmed = value.length > 0 ? value.trim() : '';
    if (trimmed.length > 0) hashText(trimmed);
    canonical += '\u0000>';

    if (itemDepth >= 0) {
      if (depth === itemDepth) closeItem();
      else if (wasLeaf && item !== null) {
        const path = depth === itemDepth + 1 ? name : [...stack.slice(itemDepth + 1), name].join('/');
        addItemChild(path, name, value, trimmed, isTruncated);
      }
    } else if (hostPropertiesDepth >= 0) {
      if (depth === hostPropertiesDepth) {
        hostPropertiesDepth = -1;
        emitHost();
      } else if (depth === hostPropertiesDepth + 1 && name === 'tag' && host !== null) {
        const key = tagName ?? '';
        const previous = host.properties[key];
        host.properties[key] = previous === undefined ? trimmed : `${previous}\n${trimmed}`;
        if (isTruncated) {
          host.truncatedFields.push(`tag:${key}`);
          noteTruncation(`host property ${key} of host ${host.name}`);
        }
        tagName = null;
      }
    } else if (depth === hostDepth) {
      closeHost();
    } else if (depth === reportDepth) {
      reportDepth = -1;
    } else if (policyDepth >= 0 && policy !== null) {
      if (depth === policyDepth) {
        policyDepth = -1;
        scan.policy = toPolicy(policy);
      } else {
        if (isTruncated) noteTruncation(`policy element ${name}`);
        addPolicyElement(policy, stack, depth, name, trimmed, wasLeaf);
      }
    }
    textCap = policyDepth >= 0 ? options.maxPolicyTextLength : options.maxTextLength;
  }

  function addPolicyElement(target: PolicyBuilder, path: string[], depth: number, name: string, value: string, wasLeaf: boolean): void {
    const relative = depth - policyDepth; // 1: child of Policy
    const parent = path[depth - 1];
    const section = path[policyDepth + 1];
    if (relative === 1) {
      if (!wasLeaf) return;
      if (name === 'policyName') target.name = value === '' ? null : value;
      else if (name === 'policyComments') target.comments = value === '' ? null : value;
      else target.properties[name] = value;
      return;
    }
    if (++target.entries > MAX_POLICY_ENTRIES) fail('too-large', `The policy has more than ${MAX_POLICY_ENTRIES} entries.`);
    if (section === 'Preferences' && path[policyDepth + 2] === 'ServerPreferences') {
      if (relative === 3) {
        if (name === 'preference') {
          if (pending['name'] !== undefined) target.serverPreferences[pending['name']] = pending['value'] ?? '';
          pending = {};
        } else if (wasLeaf) {
          target.serverPreferences[name] = value;
        }
      } else if (relative === 4 && parent === 'preference' && wasLeaf) {
        pending[name] = value;
      }
    } else if (section === 'Preferences' && path[policyDepth + 2] === 'PluginPreferences') {
      if (relative === 3) {
        target.pluginPreferences.push(pending);
        pending = {};
      } else if (relative === 4 && wasLeaf) {
        pending[name] = value;
      }
    } else if (section === 'FamilySelection') {
      if (relative === 2) {
        target.families.push({ name: pending['FamilyName'] ?? '', status: pending['Status'] ?? '' });
        pending = {};
      } else if (relative === 3 && wasLeaf) {
        pending[name] = value;
      }
    } else if (section === 'IndividualPluginSelection') {
      if (relative === 2) {
        const id = pending['PluginId'];
        target.plugins.push({
          id: id !== undefined && /^\d+$/.test(id) ? Number(id) : null,
          name: pending['PluginName'] ?? '',
          family: pending['Family'] ?? '',
          status: pending['Status'] ?? '',
        });
        pending = {};
      } else if (relative === 3 && wasLeaf) {
        pending[name] = value;
      }
    }
  }

  function openHost(attributes: Record<string, string>, depth: number): void {
    hostDepth = depth;
    isHostEmitted = false;
    hostCount += 1;
    host = newHost(hostCount - 1, attributes['name'] ?? '', parser.line);
  }

  function closeHost(): void {
    emitHost();
    host = null;
    hostDepth = -1;
  }

  function openItem(attributes: Record<string, string>, depth: number): void {
    if (host === null || depth !== hostDepth + 1) fail('invalid-item', 'A <ReportItem> element is outside a <ReportHost> element.');
    emitHost();
    itemDepth = depth;
    const label = `A <ReportItem> of host ${host.name}`;
    const pluginIdText = attributes['pluginID'];
    if (pluginIdText === undefined || !/^\s*\d+\s*$/.test(pluginIdText)) {
      fail('invalid-item', `${label} has pluginID "${pluginIdText ?? ''}", which is not a plugin number.`);
    }
    const severityText = attributes['severity'];
    if (severityText === undefined || !/^\s*[0-4]\s*$/.test(severityText)) {
      fail('invalid-item', `${label} (plugin ${pluginIdText.trim()}) has severity "${severityText ?? ''}"; a severity is 0 to 4.`);
    }
    const portText = attributes['port'];
    const port = portText !== undefined && /^\s*\d+\s*$/.test(portText) ? Number(portText) : -1;
    if (port < 0 || port > 65535)
      fail('invalid-item', `${label} (plugin ${pluginIdText.trim()}) has port "${portText ?? ''}"; a port is 0 to 65535.`);
    const protocol = attributes['protocol']?.trim().toLowerCase() ?? '';
    if (protocol === '') fail('invalid-item', `${label} (plugin ${pluginIdText.trim()}) has no protocol.`);
    item = newItem(host, itemCount, parser.line, attributes, Number(pluginIdText), Number(severityText) as NessusSeverity, port, protocol);
    itemCount += 1;
    compliance = null;
  }

  function addItemChild(path: string, name: string, value: string, trimmed: string, isTruncated: boolean): void {
    if (item === null) return;
    if (isTruncated) {
      item.truncatedFields.push(path);
      noteTruncation(`${path} of plugin ${item.pluginId} on host ${item.hostName}`);
    }
    if (path !== name) {
      pushOther(item, path, trimmed);
      return;
    }
    if (name.startsWith('cm:')) {
      compliance ??= newCompliance();
      setComplianceField(compliance, name.slice(3), trimmed);
      return;
    }
    if (name === 'attachment') {
      const attachment: NessusAttachment = {
        name: attachmentAttributes['name'] ?? null,
        type: attachmentAttributes['type'] ?? null,
        content: trimmed,
      };
      item.attachments.push(attachment);
      attachmentAttributes = {};
      return;
    }
    if (name === 'plugin_output') {
      if (item.pluginOutput === null) item.pluginOutput = value.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
      else pushOther(item, name, trimmed);
      return;
    }
    setItemField(item, name, trimmed);
  }

  function closeItem(): void {
    if (item === null || host === null) return;
    if (compliance !== null) {
      const result: NessusComplianceResult = Object.assign(item, { compliance });
      complianceCount += 1;
      const key = (compliance.result ?? '').toUpperCase();
      complianceByResult[key] = (complianceByResult[key] ?? 0) + 1;
      emit({ kind: 'compliance', result });
    } else {
      findingCount += 1;
      findingsBySeverity[SEVERITY_NAMES[item.severity]] += 1;
      emit({ kind: 'finding', finding: item });
    }
    item = null;
    compliance = null;
    itemDepth = -1;
  }

  function onDoctype(doctype: string): void {
    if (/^\s*html\b/i.test(doctype))
      fail('html', 'This is an HTML page (perhaps a login or error page saved instead of the scan), not a .nessus file.');
    refuseDoctype(doctype);
  }

  function refuseDoctype(doctype: string): never {
    const hasEntities = /<!ENTITY/i.test(doctype);
    const isExternal = /\b(SYSTEM|PUBLIC)\b/.test(doctype);
    const detail = hasEntities
      ? ' It defines entities (as an entity-expansion or external-entity attack does); none was expanded.'
      : isExternal
        ? ' It refers to an external resource, which was not fetched.'
        : '';
    fail(
      'doctype',
      `The file contains a document type declaration (<!DOCTYPE …>), which a .nessus file never has and Bulwark refuses.${detail}`,
    );
  }

  function onError(error: Error): void {
    const reason = error.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
    if (isEnding) {
      if (!hasContent) throw new NessusFormatError('empty', 'The file is empty.');
      fail('truncated', `The file ends unexpectedly${describeOpenElements()}: it looks truncated (cut off during a download or a copy).`);
    }
    if (/undefined entity/.test(reason)) {
      fail(
        'entity',
        'The file uses an entity reference that XML does not define (only &lt; &gt; &amp; &quot; &apos; and character references are allowed); entities are never expanded.',
      );
    }
    if (!sawRoot) {
      if (headLooksLikeHtml)
        fail('html', 'This is an HTML page (perhaps a login or error page saved instead of the scan), not a .nessus file.');
      fail('not-xml', `The file is not XML (${reason}), so it cannot be a .nessus file.`);
    }
    fail('malformed', `The file is not well-formed XML: ${reason}.`);
  }

  function describeOpenElements(): string {
    const innermost = stack[stack.length - 1];
    if (innermost === undefined) return ` at line ${parser.line}`;
    const where = host !== null && innermost !== 'ReportHost' ? ` of host ${host.name}` : '';
    return ` inside <${innermost}>${where}`;
  }

  parser.on('opentag', onOpenTag);
  parser.on('closetag', onCloseTag);
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  parser.on('doctype', onDoctype);
  parser.on('error', onError);

  /** Move the text saxes is still accumulating into the capped buffer (see the file comment). */
  function drainSaxesText(): void {
    const { state } = internals;
    const pendingLength = internals.text.length;
    if (pendingLength === 0 && internals.entity.length === 0 && internals.name.length === 0) return;
    const isContent =
      state === S_TEXT || (state === S_ENTITY && internals.entityReturnState === S_TEXT) || (state >= S_CDATA && state <= S_CDATA_ENDING_2);
    if (isContent) {
      if (pendingLength > 64 * 1024) {
        appendText(internals.text);
        internals.text = '';
      }
    } else if (state >= S_DOCTYPE && state <= S_DTD_PI_ENDING && pendingLength > DOCTYPE_EARLY_REFUSAL) {
      refuseDoctype(internals.text);
    } else if (pendingLength > options.maxMarkupLength) {
      fail(
        'too-large',
        `A single tag, attribute value, comment or processing instruction is longer than ${formatBytes(options.maxMarkupLength)}, more than any .nessus file has.`,
      );
    }
    if (internals.entity.length > 1024 || internals.name.length > 64 * 1024 || internals.piTarget.length > 64 * 1024) {
      fail('malformed', 'The file is not well-formed XML: an element, attribute or entity name is implausibly long.');
    }
    if (internals.attribList.length > MAX_ATTRIBUTES)
      fail('malformed', `The file is not well-formed XML: an element has more than ${MAX_ATTRIBUTES} attributes.`);
  }

  function checkStart(chunk: string): void {
    const match = /[^\s\uFEFF]/.exec(chunk);
    if (match === null) return;
    hasContent = true;
    const before = chunk.slice(0, match.index);
    const lines = before.split('\n');
    const line = parser.line + lines.length - 1;
    const column = (lines.length === 1 ? parser.column : 0) + (lines[lines.length - 1]?.length ?? 0) + 1;
    if (match[0] !== '<') {
      const start = JSON.stringify(chunk.slice(match.index, match.index + 20));
      fail('not-xml', `The file is not XML: a .nessus file starts with "<?xml" or "<${ROOT}>", this one with ${start}.`, line, column);
    }
    headLooksLikeHtml = /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>])/i.test(
      chunk.slice(match.index, match.index + 4096),
    );
  }

  return {
    write(chunk) {
      if (chunk.length === 0) return;
      if (!hasContent) checkStart(chunk);
      try {
        parser.write(chunk);
      } catch (error) {
        if (error instanceof NessusFormatError) throw error;
        fail('malformed', `The file is not well-formed XML: ${error instanceof Error ? error.message : String(error)}.`);
      }
      drainSaxesText();
      if (canonical.length > 0) {
        hash.update(canonical);
        canonical = '';
      }
    },
    end(extraWarnings) {
      if (!hasContent) throw new NessusFormatError('empty', 'The file is empty.');
      isEnding = true;
      parser.close();
      isEnding = false;
      if (canonical.length > 0) hash.update(canonical);
      canonical = '';
      emitScan();
      if (hostCount === 0) {
        warnings.push({
          code: 'no-hosts',
          message:
            'The file has no hosts (no ReportHost element): it is a policy-only export or an empty scan, so it imports as an empty scan.',
        });
      }
      if (truncatedCount > 0) {
        warnings.push({
          code: 'text-truncated',
          message: `${truncatedCount} text(s) were longer than ${options.maxTextLength} characters and were cut (first: ${firstTruncation}).`,
        });
      }
      warnings.push(...extraWarnings);
      const summary: NessusParseSummary = {
        scan: { ...scan, policy: policy === null ? null : toPolicy(policy) },
        startedAt,
        endedAt,
        hostCount,
        itemCount,
        findingCount,
        complianceCount,
        findingsBySeverity,
        complianceByResult,
        isEmpty: hostCount === 0,
        fingerprint: hash.digest('hex'),
        bytesRead: bytes,
        warnings,
      };
      emit({ kind: 'end', summary });
    },
    takeRecords() {
      return records.splice(0, records.length);
    },
    pendingCount() {
      return records.length;
    },
    addBytes(count) {
      bytes += count;
    },
    bytesRead() {
      return bytes;
    },
    line() {
      return parser.line;
    },
    fail,
  };
}

function canonicalAttributes(attributes: Record<string, string>): string {
  // Most elements have no attribute or one: avoid allocating and sorting a key list for them.
  let count = 0;
  let only = '';
  for (const name in attributes) {
    count += 1;
    only = name;
    if (count > 1) break;
  }
  if (count === 0) return '';
  if (count === 1) return `\u0000@${only}=${attributes[only] ?? ''}`;
  const names = Object.keys(attributes).sort();
  let out = '';
  for (const name of names) out += `\u0000@${name}=${attributes[name] ?? ''}`;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Record builders

const SEVERITY_NAMES = ['info', 'low', 'medium', 'high', 'critical'] as const;

function newPolicy(): PolicyBuilder {
  return {
    name: null,
    comments: null,
    properties: {},
    serverPreferences: {},
    pluginPreferences: [],
    families: [],
    plugins: [],
    pluginSet: null,
    target: null,
    entries: 0,
  };
}

function toPolicy(builder: PolicyBuilder): NessusPolicy {
  const { entries: _entries, ...policy } = builder;
  const pluginSet = builder.serverPreferences['plugin_set'];
  return {
    ...policy,
    pluginSet:
      pluginSet === undefined
        ? null
        : pluginSet
            .split(';')
            .filter((id) => /^\d+$/.test(id.trim()))
            .map(Number),
    target: builder.serverPreferences['TARGET'] ?? null,
  };
}

function newHost(hostIndex: number, name: string, line: number): NessusHost {
  return {
    hostIndex,
    name,
    properties: {},
    ipv4: null,
    ipv6: null,
    fqdn: null,
    fqdns: [],
    rdns: null,
    hostname: null,
    netbiosName: null,
    macAddresses: [],
    operatingSystems: [],
    systemType: null,
    agentUuid: null,
    hostUuid: null,
    biosUuid: null,
    isCredentialedScan: null,
    startedAt: null,
    endedAt: null,
    truncatedFields: [],
    line,
  };
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

/** Fill the typed fields of a host from its properties. */
function completeHost(host: NessusHost): void {
  const p = host.properties;
  const ip = nonEmpty(p['host-ip']);
  host.ipv4 = nonEmpty(p['host-ipv4']) ?? (ip !== null && !ip.includes(':') ? ip : null);
  host.ipv6 = nonEmpty(p['host-ipv6']) ?? (ip !== null && ip.includes(':') ? ip : null);
  host.fqdn = nonEmpty(p['host-fqdn']);
  host.rdns = nonEmpty(p['host-rdns']);
  host.hostname = nonEmpty(p['hostname']);
  host.netbiosName = nonEmpty(p['netbios-name']);
  host.systemType = nonEmpty(p['system-type']);
  host.hostUuid = nonEmpty(p['host-uuid']);
  host.biosUuid = nonEmpty(p['bios-uuid']);
  const tag = nonEmpty(p['TAG']);
  host.agentUuid = nonEmpty(p['agent-uuid']) ?? (tag !== null && /^[0-9a-f]{32}$/i.test(tag) ? tag : null);
  const credentialed = p['Credentialed_Scan']?.trim().toLowerCase();
  host.isCredentialedScan = credentialed === 'true' ? true : credentialed === 'false' ? false : null;
  host.macAddresses = splitWords(p['mac-address'] ?? p['mac-macAddress']);
  host.operatingSystems = splitList(p['operating-system']);
  const fqdns = new Set<string>();
  if (host.fqdn !== null) fqdns.add(host.fqdn);
  for (const entry of parseJsonList(p['host-fqdns'])) {
    const value =
      typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null ? (entry as { FQDN?: unknown }).FQDN : undefined;
    if (typeof value === 'string' && value.trim() !== '') fqdns.add(value.trim());
  }
  host.fqdns = [...fqdns];
  host.startedAt = parseEpoch(p['HOST_START_TIMESTAMP']) ?? parseNessusDate(p['HOST_START']);
  host.endedAt = parseEpoch(p['HOST_END_TIMESTAMP']) ?? parseNessusDate(p['HOST_END']);
}

function splitWords(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(/\s+/).filter((word) => word !== '');
}

function splitLines(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
}

function parseJsonList(value: string | undefined): unknown[] {
  const trimmed = value?.trim();
  if (trimmed === undefined || !trimmed.startsWith('[')) return [];
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** One per line, or the strings of a JSON list (`["Linux Kernel 3.10"]` in workbench exports). */
function splitList(value: string | undefined): string[] {
  const list = parseJsonList(value);
  if (list.length > 0)
    return list.filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '').map((entry) => entry.trim());
  return splitLines(value);
}

function parseEpoch(value: string | undefined): string | null {
  const trimmed = value?.trim();
  if (trimmed === undefined || !/^\d{9,11}$/.test(trimmed)) return null;
  return new Date(Number(trimmed) * 1000).toISOString();
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * HOST_START / HOST_END as Nessus writes them: "Fri Dec 11 02:57:52 2009", "Sunday December 15
 * 12:59:48 2024" (local time of the scanner, no zone: read as UTC), or ISO-8601 (Tenable.io,
 * Web App Scanning). Null when unreadable.
 */
export function parseNessusDate(value: string | undefined): string | null {
  const trimmed = value?.trim();
  if (trimmed === undefined || trimmed === '') return null;
  const classic = /^(?:[A-Za-z]+,?\s+)?([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(trimmed);
  if (classic !== null) {
    const [, monthName = '', day = '', hours = '', minutes = '', seconds = '', year = ''] = classic;
    const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase());
    if (month < 0) return null;
    const time = Date.UTC(Number(year), month, Number(day), Number(hours), Number(minutes), Number(seconds));
    return Number.isNaN(time) ? null : new Date(time).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const time = Date.parse(trimmed.replace(/(\.\d{3})\d+/, '$1'));
    return Number.isNaN(time) ? null : new Date(time).toISOString();
  }
  return parseEpoch(trimmed);
}

function newItem(
  host: NessusHost,
  itemIndex: number,
  line: number,
  attributes: Record<string, string>,
  pluginId: number,
  severity: NessusSeverity,
  port: number,
  protocol: string,
): NessusItemBase {
  return {
    hostIndex: host.hostIndex,
    hostName: host.name,
    itemIndex,
    line,
    port,
    protocol,
    serviceName: nonEmpty(attributes['svc_name']),
    severity,
    pluginId,
    pluginName: attributes['pluginName'] ?? '',
    pluginFamily: nonEmpty(attributes['pluginFamily'] ?? attributes['pluginFaimily']),
    attributes,
    pluginType: null,
    scriptVersion: null,
    pluginVersion: null,
    fname: null,
    synopsis: null,
    description: null,
    solution: null,
    riskFactor: null,
    pluginOutput: null,
    pluginPublicationDate: null,
    pluginModificationDate: null,
    patchPublicationDate: null,
    vulnPublicationDate: null,
    cvssBaseScore: null,
    cvssTemporalScore: null,
    cvssVector: null,
    cvssTemporalVector: null,
    cvss3BaseScore: null,
    cvss3TemporalScore: null,
    cvss3Vector: null,
    cvss3TemporalVector: null,
    cvss4BaseScore: null,
    cvss4Vector: null,
    vprScore: null,
    epssScore: null,
    stigSeverity: null,
    exploitAvailable: null,
    exploitabilityEase: null,
    exploitedByMalware: null,
    exploitedByNessus: null,
    inTheNews: null,
    unsupportedByVendor: null,
    cves: [],
    bids: [],
    xrefs: [],
    seeAlso: [],
    cpes: [],
    attachments: [],
    otherElements: {},
    truncatedFields: [],
  };
}

function pushOther(item: NessusItemBase, name: string, value: string): void {
  const list = item.otherElements[name];
  if (list === undefined) item.otherElements[name] = [value];
  else list.push(value);
}

function toNumber(value: string): number | null {
  if (value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

function toBoolean(value: string): boolean | null {
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

/**
 * A known element fills its typed field once; a repeat or an unreadable value goes to
 * otherElements, as does every element without a typed field. (One switch with plain property
 * stores: this runs for every child of every ReportItem.)
 */
function setItemField(item: NessusItemBase, name: string, value: string): void {
  switch (name) {
    case 'cve':
      if (value !== '') item.cves.push(value);
      return;
    case 'bid':
      if (value !== '') item.bids.push(value);
      return;
    case 'xref': {
      if (value === '') return;
      const colon = value.indexOf(':');
      item.xrefs.push(colon < 0 ? { type: '', id: value } : { type: value.slice(0, colon), id: value.slice(colon + 1) });
      return;
    }
    case 'see_also':
      item.seeAlso.push(...splitLines(value));
      return;
    case 'cpe':
      item.cpes.push(...splitLines(value));
      return;
    case 'plugin_type':
      if (item.pluginType === null) {
        item.pluginType = value;
        return;
      }
      break;
    case 'script_version':
      if (item.scriptVersion === null) {
        item.scriptVersion = value;
        return;
      }
      break;
    case 'plugin_version':
      if (item.pluginVersion === null) {
        item.pluginVersion = value;
        return;
      }
      break;
    case 'fname':
      if (item.fname === null) {
        item.fname = value;
        return;
      }
      break;
    case 'synopsis':
      if (item.synopsis === null) {
        item.synopsis = value;
        return;
      }
      break;
    case 'description':
      if (item.description === null) {
        item.description = value;
        return;
      }
      break;
    case 'solution':
      if (item.solution === null) {
        item.solution = value;
        return;
      }
      break;
    case 'risk_factor':
      if (item.riskFactor === null) {
        item.riskFactor = value;
        return;
      }
      break;
    case 'plugin_publication_date':
      if (item.pluginPublicationDate === null) {
        item.pluginPublicationDate = value;
        return;
      }
      break;
    case 'plugin_modification_date':
      if (item.pluginModificationDate === null) {
        item.pluginModificationDate = value;
        return;
      }
      break;
    case 'patch_publication_date':
      if (item.patchPublicationDate === null) {
        item.patchPublicationDate = value;
        return;
      }
      break;
    case 'vuln_publication_date':
      if (item.vulnPublicationDate === null) {
        item.vulnPublicationDate = value;
        return;
      }
      break;
    case 'cvss_vector':
      if (item.cvssVector === null) {
        item.cvssVector = value;
        return;
      }
      break;
    case 'cvss_temporal_vector':
      if (item.cvssTemporalVector === null) {
        item.cvssTemporalVector = value;
        return;
      }
      break;
    case 'cvss3_vector':
      if (item.cvss3Vector === null) {
        item.cvss3Vector = value;
        return;
      }
      break;
    case 'cvss3_temporal_vector':
      if (item.cvss3TemporalVector === null) {
        item.cvss3TemporalVector = value;
        return;
      }
      break;
    case 'cvss4_vector':
      if (item.cvss4Vector === null) {
        item.cvss4Vector = value;
        return;
      }
      break;
    case 'exploitability_ease':
      if (item.exploitabilityEase === null) {
        item.exploitabilityEase = value;
        return;
      }
      break;
    case 'stig_severity':
      if (item.stigSeverity === null) {
        item.stigSeverity = value;
        return;
      }
      break;
    case 'cvss_base_score':
    case 'cvss': {
      const number = toNumber(value);
      if (item.cvssBaseScore === null && number !== null) {
        item.cvssBaseScore = number;
        return;
      }
      break;
    }
    case 'cvss_temporal_score': {
      const number = toNumber(value);
      if (item.cvssTemporalScore === null && number !== null) {
        item.cvssTemporalScore = number;
        return;
      }
      break;
    }
    case 'cvss3_base_score':
    case 'cvssv3': {
      const number = toNumber(value);
      if (item.cvss3BaseScore === null && number !== null) {
        item.cvss3BaseScore = number;
        return;
      }
      break;
    }
    case 'cvss3_temporal_score': {
      const number = toNumber(value);
      if (item.cvss3TemporalScore === null && number !== null) {
        item.cvss3TemporalScore = number;
        return;
      }
      break;
    }
    case 'cvss4_base_score': {
      const number = toNumber(value);
      if (item.cvss4BaseScore === null && number !== null) {
        item.cvss4BaseScore = number;
        return;
      }
      break;
    }
    case 'vpr_score': {
      const number = toNumber(value);
      if (item.vprScore === null && number !== null) {
        item.vprScore = number;
        return;
      }
      break;
    }
    case 'epss_score': {
      const number = toNumber(value);
      if (item.epssScore === null && number !== null) {
        item.epssScore = number;
        return;
      }
      break;
    }
    case 'exploit_available': {
      const flag = toBoolean(value);
      if (item.exploitAvailable === null && flag !== null) {
        item.exploitAvailable = flag;
        return;
      }
      break;
    }
    case 'exploited_by_malware': {
      const flag = toBoolean(value);
      if (item.exploitedByMalware === null && flag !== null) {
        item.exploitedByMalware = flag;
        return;
      }
      break;
    }
    case 'exploited_by_nessus': {
      const flag = toBoolean(value);
      if (item.exploitedByNessus === null && flag !== null) {
        item.exploitedByNessus = flag;
        return;
      }
      break;
    }
    case 'in_the_news': {
      const flag = toBoolean(value);
      if (item.inTheNews === null && flag !== null) {
        item.inTheNews = flag;
        return;
      }
      break;
    }
    case 'unsupported_by_vendor': {
      const flag = toBoolean(value);
      if (item.unsupportedByVendor === null && flag !== null) {
        item.unsupportedByVendor = flag;
        return;
      }
      break;
    }
    default:
  }
  pushOther(item, name, value);
}

function newCompliance(): NessusComplianceFields {
  return {
    checkName: null,
    checkId: null,
    result: null,
    actualValue: null,
    policyValue: null,
    info: null,
    solution: null,
    reference: null,
    seeAlso: null,
    auditFile: null,
    benchmarkName: null,
    benchmarkVersion: null,
    controlId: null,
    fullId: null,
    functionalId: null,
    informationalId: null,
    source: null,
    uname: null,
    error: null,
    fields: {},
  };
}

type ComplianceKey = Exclude<keyof NessusComplianceFields, 'fields'>;
const COMPLIANCE_FIELDS: Record<string, ComplianceKey> = {
  'compliance-check-name': 'checkName',
  'compliance-check-id': 'checkId',
  'compliance-result': 'result',
  'compliance-actual-value': 'actualValue',
  'compliance-policy-value': 'policyValue',
  'compliance-info': 'info',
  'compliance-solution': 'solution',
  'compliance-reference': 'reference',
  'compliance-see-also': 'seeAlso',
  'compliance-audit-file': 'auditFile',
  'compliance-benchmark-name': 'benchmarkName',
  'compliance-benchmark-version': 'benchmarkVersion',
  'compliance-control-id': 'controlId',
  'compliance-full-id': 'fullId',
  'compliance-functional-id': 'functionalId',
  'compliance-informational-id': 'informationalId',
  'compliance-source': 'source',
  'compliance-uname': 'uname',
  'compliance-error': 'error',
};

function setComplianceField(fields: NessusComplianceFields, name: string, value: string): void {
  const previous = fields.fields[name];
  fields.fields[name] = previous === undefined ? value : `${previous}\n${value}`;
  const key = COMPLIANCE_FIELDS[name];
  if (key !== undefined) fields[key] = fields.fields[name] ?? value;
}
