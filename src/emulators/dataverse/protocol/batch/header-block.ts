import { isBlankLine, linesOf, type Segment } from './multipart-body.js';

export interface HeaderBlock {
  /** Header names lower-cased; a repeated header's values are joined with `, ` (RFC 9110 §5.3). */
  readonly headers: Map<string, string>;
  /** Where the content after the header block starts. */
  readonly contentStart: number;
}

/** `name: value` — the name is an RFC 9110 token, whitespace around the colon optional (`Content-ID:1`, §3). */
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*)$/;

/**
 * Reads MIME / HTTP header lines from `segment` up to the first blank line. Lenient where real traffic
 * needs it: a line that is not a header ends the block as if a blank line had been there (DynamicsWebApi
 * puts no blank line between a GET's headers and the next delimiter, and hand-written bodies sometimes
 * omit it before a request line), and folded continuation lines are appended to the previous header.
 */
export function readHeaderBlock(text: string, segment: Segment, skipLeadingBlankLines: boolean): HeaderBlock {
  const headers = new Map<string, string>();
  let lastName: string | undefined;
  let leading = skipLeadingBlankLines;
  for (const line of linesOf(text, segment)) {
    const blank = isBlankLine(text, line);
    if (leading && blank) continue;
    leading = false;
    if (blank) return { headers, contentStart: line.next };
    const raw = text.slice(line.start, line.end);
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && lastName !== undefined) {
      headers.set(lastName, `${headers.get(lastName) ?? ''} ${raw.trim()}`.trim());
      continue;
    }
    const match = HEADER_LINE.exec(raw);
    if (match === null) return { headers, contentStart: line.start };
    const name = (match[1] ?? '').toLowerCase();
    const value = (match[2] ?? '').trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
    lastName = name;
  }
  return { headers, contentStart: segment.end };
}
