/**
 * Just enough CSV reading for the browser's preview of a file: the header and the first rows, with
 * quotes, doubled quotes and line breaks inside quotes. The server's streaming reader
 * (src/capture/csv-import.ts) stays the authority; this only prepares a header mapping and a dry run.
 */
export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvSample {
  readonly delimiter: CsvDelimiter;
  readonly headers: readonly string[];
  /** Data rows after the header, without empty lines, at most the number asked for. */
  readonly rows: readonly (readonly string[])[];
}

/** The delimiter the server picks too: whichever of `,` `;` tab occurs most in the header line. */
export function sniffDelimiter(headerLine: string): CsvDelimiter {
  const counts = ([',', ';', '\t'] as const).map((d) => [d, headerLine.split(d).length - 1] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/**
 * Reads `text` (the start of a file) into records. `complete` says whether the text is the whole
 * file; when it is not, the last record may be cut off and is dropped.
 */
export function readCsvSample(text: string, maxRows: number, complete: boolean): CsvSample {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = sniffDelimiter(firstLine);
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let ended = true;
  for (let i = 0; i < body.length && records.length <= maxRows; i++) {
    const char = body[i];
    ended = false;
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === delimiter) {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i++;
      record.push(cell);
      if (record.some((value) => value !== '')) records.push(record);
      record = [];
      cell = '';
      ended = true;
    } else cell += char;
  }
  if (!ended && complete && !quoted) {
    record.push(cell);
    if (record.some((value) => value !== '')) records.push(record);
  }
  const [headers = [], ...rows] = records;
  return { delimiter, headers: headers.map((header) => header.trim()), rows: rows.slice(0, maxRows) };
}

/** The source field a header goes to without a mapping: its name or label, ignoring case and spaces. */
export function guessField(
  header: string,
  fields: readonly { readonly name: string; readonly label: string }[],
): string | null {
  const wanted = header.trim().toLowerCase();
  const match = fields.find(
    (f) => f.name.toLowerCase() === wanted || f.label.trim().toLowerCase() === wanted,
  );
  return match?.name ?? null;
}

/** One data row as a lead payload: mapped headers only, empty cells left out. */
export function rowToLead(
  headers: readonly string[],
  row: readonly string[],
  mapping: Readonly<Record<string, string | null>>,
): Record<string, string> {
  const lead: Record<string, string> = {};
  headers.forEach((header, index) => {
    const field = mapping[header];
    const value = row[index];
    if (field && value !== undefined && value.trim() !== '') lead[field] = value;
  });
  return lead;
}
