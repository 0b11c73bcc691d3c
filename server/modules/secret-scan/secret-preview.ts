import type { RawFinding, SecretSpan } from './secret-rules.js';

const CONTEXT_CHARS = 24;
const MASK = '••••';

/** Start of the preview: up to CONTEXT_CHARS before the finding, not cutting a word in half. */
function windowStart(text: string, start: number): number {
  const from = Math.max(0, start - CONTEXT_CHARS);
  if (from === 0) return 0;
  const space = text.slice(from, start).search(/\s/);
  return space === -1 ? start : from + space + 1;
}

/** End of the preview: up to CONTEXT_CHARS after the finding, not cutting a word in half. */
function windowEnd(text: string, end: number): number {
  const to = Math.min(text.length, end + CONTEXT_CHARS);
  if (to === text.length) return to;
  const space = text.slice(end, to).search(/\s\S*$/);
  return space === -1 ? end : end + space;
}

/** A span as shown: at most a third of it visible, so a short secret is never mostly revealed. */
function maskedSpan(text: string, span: SecretSpan, isWholeSpanInWindow: boolean): string {
  const keep = isWholeSpanInWindow ? Math.min(span.keep, Math.floor((span.end - span.start) / 3)) : 0;
  return keep > 0 ? `${text.slice(span.start, span.start + keep)}…${MASK}` : MASK;
}

/**
 * The surrounding words with every secret masked: this finding's and any other finding's that
 * falls inside the window, so a preview can never show the full text of any secret.
 */
export function buildPreview(text: string, finding: RawFinding, allSecrets: readonly SecretSpan[]): string {
  const from = windowStart(text, finding.start);
  const to = windowEnd(text, finding.end);
  const inWindow = allSecrets.filter((span) => span.end > from && span.start < to).sort((a, b) => a.start - b.start);
  let preview = from > 0 ? '…' : '';
  let position = from;
  for (const span of inWindow) {
    if (span.start > position) preview += text.slice(position, span.start);
    if (span.end > position) preview += maskedSpan(text, span, span.start >= from && span.end <= to);
    position = Math.max(position, span.end);
  }
  if (to > position) preview += text.slice(position, to);
  if (to < text.length) preview += '…';
  return preview.replace(/\s+/g, ' ').trim();
}
