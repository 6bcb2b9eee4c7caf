import { CsvError, parse, type Options, type Parser } from 'csv-parse';
import type { LeadPayload, SourceField } from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { MAX_VALUE_LENGTH } from './capture-payload.js';
import { checkLeadFields } from './source-field-checks.js';
import { characterCount, formatCount } from './value-text.js';

/**
 * Reading a CSV file of leads as a stream: one result per data row, never the whole file in memory.
 * The first row is the header; each header is mapped to one of the source's fields (or ignored), and
 * each row is checked against those fields. Row numbers are the ones a spreadsheet shows (header = 1,
 * empty lines count). A file that cannot be read as CSV at all (unclosed quote, not UTF-8, no header)
 * throws `csv_invalid` naming the line; a row that is merely wrong is reported and the next one read.
 */
export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvImportOptions {
  readonly fields: readonly SourceField[];
  /**
   * CSV header → source field name; headers not listed are ignored. Without it, headers match field
   * names or labels, ignoring case and surrounding spaces.
   */
  readonly headerMap?: Readonly<Record<string, string>>;
  /** Default `auto`: whichever of `,` `;` tab occurs most in the header (German Excel writes `;`). */
  readonly delimiter?: CsvDelimiter | 'auto';
  /** Accept rows with fewer or more values than the header (missing ones are empty); default false. */
  readonly relaxColumnCount?: boolean;
  /** The file's size when known (e.g. Content-Length), passed back in progress reports. */
  readonly totalBytes?: number;
  readonly onProgress?: (progress: CsvProgress) => void;
}

export interface CsvProgress {
  readonly bytesRead: number;
  readonly totalBytes?: number;
}

export type CsvRow =
  | { readonly row: number; readonly payload: LeadPayload }
  | { readonly row: number; readonly errors: readonly string[] };

type Chunk = Uint8Array | string;

/** What csv-parse's `on_record` hands on: the cells and where the record sits in the file. */
interface ParsedRecord {
  readonly cells: string[];
  /** Spreadsheet row: records so far plus the empty lines skipped (header = 1). */
  readonly row: number;
  /** The line the record ends on. */
  readonly line: number;
}

// The header must fit in this much; more without a line break is not a CSV file anyone can fix.
const MAX_HEADER_BYTES = 1_000_000;
// 100 values of 10,000 characters, with room to spare.
const MAX_RECORD_CHARS = 2_000_000;

export async function* readCsvLeads(
  input: AsyncIterable<Chunk> | Iterable<Chunk>,
  options: CsvImportOptions,
): AsyncGenerator<CsvRow, void, undefined> {
  const chunks = asBuffers(input);
  const head = await readHead(chunks);
  const delimiter =
    options.delimiter === undefined || options.delimiter === 'auto'
      ? sniffDelimiter(head)
      : options.delimiter;
  // Where parsing stands, recorded as csv-parse goes (ahead of what this reader has yielded), so an
  // error names the right line even when parsed rows were still queued.
  const parsed = { line: 0, emptyLines: 0 };
  const parserOptions: Options<ParsedRecord, string[]> = {
    bom: true,
    delimiter,
    skip_empty_lines: true,
    // Column counts are checked per row below, so one bad row does not end the import.
    relax_column_count: true,
    // An unclosed quote early in a large file would otherwise buffer the rest of it as one value.
    max_record_size: MAX_RECORD_CHARS,
    on_record: (cells, context) => {
      parsed.line = context.lines;
      parsed.emptyLines = context.empty_lines;
      return { cells, row: context.records + context.empty_lines, line: context.lines };
    },
  };
  // The typings only accept a record type other than string[] together with `columns`.
  const parser = parse(parserOptions as unknown as Options);
  const feeding = feed(parser, head, chunks, options);
  let header: HeaderPlan | undefined;
  try {
    for await (const record of parser as AsyncIterable<ParsedRecord>) {
      // Node decodes invalid UTF-8 as U+FFFD; a Windows-1252 export must fail loudly, not as "M�ller".
      if (record.cells.some((cell) => cell.includes('\uFFFD'))) throw notUtf8(record.line);
      if (header === undefined) header = planHeader(record.cells, options);
      else yield readRow(record.cells, record.row, header, options);
    }
  } catch (error) {
    throw translate(error, parsed);
  } finally {
    parser.destroy();
    await feeding;
  }
  if (header === undefined)
    throw new LeadbridgeError('csv_invalid', 'The file is empty; the first row must name the columns.');
}

async function* asBuffers(input: AsyncIterable<Chunk> | Iterable<Chunk>): AsyncGenerator<Buffer> {
  for await (const chunk of input)
    yield typeof chunk === 'string'
      ? Buffer.from(chunk, 'utf8')
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Reads until the first line break (or the end), for delimiter detection; those chunks are fed first. */
async function readHead(chunks: AsyncGenerator<Buffer>): Promise<Buffer[]> {
  const head: Buffer[] = [];
  let size = 0;
  while (size < MAX_HEADER_BYTES) {
    const next = await chunks.next();
    if (next.done === true) break;
    head.push(next.value);
    size += next.value.length;
    if (next.value.includes(0x0a) || next.value.includes(0x0d)) break;
  }
  return head;
}

/** Whichever of `,` `;` tab occurs most in the header line, outside quotes; `,` on a tie. */
function sniffDelimiter(head: readonly Buffer[]): CsvDelimiter {
  const line = (
    Buffer.concat(head)
      .toString('utf8')
      .split(/\r?\n|\r/, 1)[0] ?? ''
  ).replace(/"[^"]*"/g, '');
  const counts = ([',', ';', '\t'] as const).map((d) => ({ d, n: line.split(d).length - 1 }));
  return counts.reduce((a, b) => (b.n > a.n ? b : a)).d;
}

/** Writes the chunks into the parser with backpressure, counting bytes; stops when the parser is gone. */
async function feed(
  parser: Parser,
  head: readonly Buffer[],
  rest: AsyncGenerator<Buffer>,
  options: CsvImportOptions,
): Promise<void> {
  let bytesRead = 0;
  const write = async (chunk: Buffer): Promise<boolean> => {
    if (parser.destroyed) return false;
    bytesRead += chunk.length;
    options.onProgress?.(
      options.totalBytes === undefined ? { bytesRead } : { bytesRead, totalBytes: options.totalBytes },
    );
    if (!parser.write(chunk)) await drainedOrClosed(parser);
    return !parser.destroyed;
  };
  try {
    for (const chunk of head) if (!(await write(chunk))) return;
    for await (const chunk of rest) if (!(await write(chunk))) return;
    parser.end();
  } catch (error) {
    parser.destroy(error instanceof Error ? error : new Error(String(error)));
  } finally {
    // Closes the caller's stream when the reader stopped early.
    await rest.return(undefined);
  }
}

function drainedOrClosed(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      parser.off('drain', done);
      parser.off('close', done);
      resolve();
    };
    parser.on('drain', done);
    parser.on('close', done);
  });
}

interface HeaderPlan {
  readonly width: number;
  /** CSV column index → field name, for the columns that feed a field. */
  readonly columns: ReadonlyArray<{
    readonly index: number;
    readonly field: string;
    readonly header: string;
  }>;
}

function planHeader(headers: readonly string[], options: CsvImportOptions): HeaderPlan {
  const normalise = (s: string): string => s.trim().toLowerCase();
  const fieldFor = (header: string): SourceField | undefined => {
    if (options.headerMap !== undefined) {
      const entry = Object.entries(options.headerMap).find(([h]) => normalise(h) === normalise(header));
      if (entry === undefined) return undefined;
      const field = options.fields.find((f) => f.name === entry[1]);
      if (field === undefined)
        throw new LeadbridgeError(
          'csv_invalid',
          `The column map sends "${entry[0]}" to "${entry[1]}", which is not one of the source's fields.`,
        );
      return field;
    }
    return options.fields.find(
      (f) => normalise(f.name) === normalise(header) || normalise(f.label) === normalise(header),
    );
  };
  const columns: Array<{ index: number; field: string; header: string }> = [];
  headers.forEach((header, index) => {
    if (header.trim() === '') return;
    const field = fieldFor(header);
    if (field === undefined) return;
    const taken = columns.find((c) => c.field === field.name);
    if (taken !== undefined)
      throw new LeadbridgeError(
        'csv_invalid',
        `Line 1: the columns "${taken.header}" and "${header.trim()}" both fill the field ${field.name}; keep one.`,
      );
    columns.push({ index, field: field.name, header: header.trim() });
  });
  if (columns.length === 0)
    throw new LeadbridgeError(
      'csv_invalid',
      `Line 1: no column matches a field of this source (expected some of: ${options.fields.map((f) => f.label).join(', ')}).`,
    );
  const missing = options.fields.filter((f) => f.required && !columns.some((c) => c.field === f.name));
  if (missing.length > 0)
    throw new LeadbridgeError(
      'csv_invalid',
      `Line 1: the file has no column for the required field${missing.length > 1 ? 's' : ''} ${missing.map((f) => `${f.label} (${f.name})`).join(', ')}.`,
    );
  return { width: headers.length, columns };
}

function readRow(
  record: readonly string[],
  row: number,
  header: HeaderPlan,
  options: CsvImportOptions,
): CsvRow {
  const errors: string[] = [];
  if (record.length !== header.width && !options.relaxColumnCount)
    errors.push(`has ${record.length} values, but the header has ${header.width} columns`);
  const payload: Record<string, string> = {};
  const headerOf = new Map<string, string>();
  for (const { index, field, header: name } of header.columns) {
    headerOf.set(field, name);
    const value = record[index];
    if (value === undefined || value.trim() === '') continue;
    if (characterCount(value) > MAX_VALUE_LENGTH) {
      errors.push(`${name}: the value is longer than ${formatCount(MAX_VALUE_LENGTH)} characters`);
      continue;
    }
    payload[field] = value;
  }
  for (const issue of checkLeadFields(payload, options.fields))
    errors.push(`${headerOf.get(issue.field) ?? issue.field}: ${issue.problem}`);
  return errors.length > 0 ? { row, errors } : { row, payload };
}

const notUtf8 = (line: number): LeadbridgeError =>
  new LeadbridgeError(
    'csv_invalid',
    `Line ${line}: the file is not UTF-8 text; save it as "CSV UTF-8" and try again.`,
  );

const CSV_REASONS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted value is opened but never closed; look for a stray " in that row',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted value has text after its closing quote; double a " inside quotes ("")',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted value has text after its closing quote',
  CSV_MAX_RECORD_SIZE: 'a row is too large; look for a stray " that opens a value never closed',
};

function translate(error: unknown, parsed: { line: number; emptyLines: number }): unknown {
  if (error instanceof LeadbridgeError) return error;
  if (!(error instanceof CsvError)) return error;
  const context = error as CsvError & { lines?: number; empty_lines?: number };
  // csv-parse reports where parsing stopped (the end of the file for an unclosed quote); the row
  // that went wrong starts just after the last good row.
  const line =
    error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_MAX_RECORD_SIZE'
      ? parsed.line + 1 + Math.max(0, (context.empty_lines ?? parsed.emptyLines) - parsed.emptyLines)
      : (context.lines ?? parsed.line + 1);
  const reason = CSV_REASONS[error.code] ?? error.message;
  return new LeadbridgeError('csv_invalid', `Line ${line}: ${reason}.`, {
    code: error.code,
    message: error.message,
  });
}
