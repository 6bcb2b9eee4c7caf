import { BatchFormatError } from './batch-format-error.js';

/** A half-open range `[start, end)` of character offsets into the original body text. */
export interface Segment {
  readonly start: number;
  readonly end: number;
}

/** One line inside a segment: `[start, end)` is its text without the line break; `next` starts the next line. */
export interface LineSpan {
  readonly start: number;
  readonly end: number;
  readonly next: number;
}

/**
 * Yields the lines of `text` within `segment`. Both CRLF and bare LF end a line: CRLF is what the spec and
 * MSDocs use, but many clients (older DynamicsWebApi, hand-written scripts) send bare `\n` (§3). The last
 * line may lack a line break ("missing final CRLF").
 */
export function* linesOf(text: string, segment: Segment): Generator<LineSpan> {
  let start = segment.start;
  while (start < segment.end) {
    const lf = text.indexOf('\n', start);
    if (lf === -1 || lf >= segment.end) {
      yield { start, end: segment.end, next: segment.end };
      return;
    }
    const end = lf > start && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
    yield { start, end, next: lf + 1 };
    start = lf + 1;
  }
}

/** True when the line holds nothing but spaces/tabs. */
export function isBlankLine(text: string, line: LineSpan): boolean {
  for (let i = line.start; i < line.end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

type DelimiterKind = 'open' | 'close' | undefined;

/**
 * RFC 2046 §5.1.1: a delimiter line is `--boundary`, a close delimiter `--boundary--`, each optionally
 * followed by linear whitespace ("transport padding"). Anything else on the line makes it ordinary content.
 */
function delimiterKind(text: string, line: LineSpan, dashBoundary: string): DelimiterKind {
  if (line.end - line.start < dashBoundary.length || !text.startsWith(dashBoundary, line.start))
    return undefined;
  let i = line.start + dashBoundary.length;
  let kind: DelimiterKind = 'open';
  if (text.startsWith('--', i)) {
    kind = 'close';
    i += 2;
  }
  for (; i < line.end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return undefined;
  }
  return kind;
}

/** Offset where the line break preceding `lineStart` begins (RFC 2046: that break belongs to the delimiter). */
function beforePrecedingBreak(text: string, lineStart: number, floor: number): number {
  let end = lineStart;
  if (end > floor && text.charCodeAt(end - 1) === 10) end--;
  if (end > floor && text.charCodeAt(end - 1) === 13) end--;
  return end;
}

/**
 * Splits a multipart body into its parts. Text before the first delimiter (preamble) and after the close
 * delimiter (epilogue) is ignored, as RFC 2046 requires; DynamicsWebApi, for one, starts its body with a
 * CRLF and leaves a blank line after each change set's close delimiter (§9a).
 */
export function splitMultipart(text: string, segment: Segment, boundary: string, what: string): Segment[] {
  const dashBoundary = `--${boundary}`;
  const parts: Segment[] = [];
  let partStart: number | undefined;
  for (const line of linesOf(text, segment)) {
    const kind = delimiterKind(text, line, dashBoundary);
    if (kind === undefined) continue;
    if (partStart !== undefined) {
      parts.push({
        start: partStart,
        end: Math.max(partStart, beforePrecedingBreak(text, line.start, partStart)),
      });
    }
    if (kind === 'close') return parts;
    partStart = line.next;
  }
  if (partStart === undefined) {
    throw new BatchFormatError(
      `The ${what} does not contain the boundary delimiter '${dashBoundary}' declared in its content type.`,
    );
  }
  throw new BatchFormatError(
    `Encountered an unexpected end of input while reading the batch payload: the ${what} is missing its ` +
      `closing delimiter '${dashBoundary}--'.`,
  );
}
