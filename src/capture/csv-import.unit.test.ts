import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SourceField } from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { readCsvLeads, type CsvImportOptions, type CsvRow } from './csv-import.js';

const FIELDS: SourceField[] = [
  { name: 'email', label: 'E-Mail', type: 'email', required: true },
  { name: 'firstName', label: 'First name', type: 'text', required: false },
  { name: 'lastName', label: 'Last name', type: 'text', required: false, maxLength: 50 },
  { name: 'interest', label: 'Interest', type: 'select', required: false, options: ['Demo', 'Pricing'] },
];

/** The text as a stream of Buffers cut every `size` bytes (also inside characters and quotes). */
function chunked(text: string, size = 7): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

async function readAll(
  text: string,
  options: Partial<CsvImportOptions> = {},
  size?: number,
): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of readCsvLeads(chunked(text, size), { fields: FIELDS, ...options })) rows.push(row);
  return rows;
}

async function failure(
  text: string | Buffer,
  options: Partial<CsvImportOptions> = {},
): Promise<LeadbridgeError> {
  try {
    const input = typeof text === 'string' ? chunked(text) : Readable.from([text]);
    for await (const _row of readCsvLeads(input, { fields: FIELDS, ...options })) void _row;
  } catch (error) {
    if (error instanceof LeadbridgeError) return error;
    throw error;
  }
  throw new Error('expected a csv_invalid error');
}

describe('readCsvLeads', () => {
  it('matches headers to field names or labels, ignoring case, and skips unknown columns', async () => {
    const rows = await readAll(
      'E-MAIL, firstname ,Shoe size,last NAME\r\nada@example.org,Ada,38,Lovelace\r\n',
    );
    expect(rows).toEqual([
      { row: 2, payload: { email: 'ada@example.org', firstName: 'Ada', lastName: 'Lovelace' } },
    ]);
  });

  it('numbers rows as a spreadsheet does, across empty lines and multi-line values', async () => {
    const csv = 'email,lastName\na@x.org,A\n\n"b@x.org","B\nstill B"\nc@x.org,C\n';
    expect((await readAll(csv)).map((r) => [r.row, 'payload' in r ? r.payload['email'] : r.errors])).toEqual([
      [2, 'a@x.org'],
      [4, 'b@x.org'],
      [5, 'c@x.org'],
    ]);
  });

  it('keeps quotes, commas, line breaks and non-ASCII text, and drops a BOM', async () => {
    const csv = '\uFEFFemail,lastName,firstName\n"o\'brien@x.ie","O\'Brien, ""Jr""","Zoë\nAnn"\n';
    expect(await readAll(csv, {}, 3)).toEqual([
      { row: 2, payload: { email: "o'brien@x.ie", lastName: 'O\'Brien, "Jr"', firstName: 'Zoë\nAnn' } },
    ]);
  });

  it('leaves empty cells out of the payload', async () => {
    expect(await readAll('email,firstName,lastName\na@x.org,,  \n')).toEqual([
      { row: 2, payload: { email: 'a@x.org' } },
    ]);
  });

  it.each([
    ['semicolons', 'email;lastName\na@x.org;Müller, Hans\n', { email: 'a@x.org', lastName: 'Müller, Hans' }],
    ['tabs', 'email\tlastName\na@x.org\tMüller\n', { email: 'a@x.org', lastName: 'Müller' }],
    ['commas', 'email,lastName\na@x.org,"Müller; Hans"\n', { email: 'a@x.org', lastName: 'Müller; Hans' }],
  ])('detects %s as the delimiter', async (_, csv, payload) => {
    expect(await readAll(csv)).toEqual([{ row: 2, payload }]);
  });

  it('uses a header map instead of matching, ignoring unmapped headers', async () => {
    const rows = await readAll('Mail,Name,email\na@x.org,Ada,ignored@x.org\n', {
      headerMap: { mail: 'email', Name: 'firstName' },
    });
    expect(rows).toEqual([{ row: 2, payload: { email: 'a@x.org', firstName: 'Ada' } }]);
  });

  it('reports a bad row with its errors and reads on', async () => {
    const csv =
      'E-Mail,Last name,Interest\nnot-an-email,' + 'x'.repeat(51) + ',Jobs\n,Li,Demo\nok@x.org,Li,demo\n';
    expect(await readAll(csv)).toEqual([
      {
        row: 2,
        errors: [
          'E-Mail: "not-an-email" is not an email address',
          'Last name: "xxxxxxxxxxxxxxxxxxxx…" is 51 characters; the limit is 50',
          'Interest: "Jobs" is not one of the options (Demo, Pricing)',
        ],
      },
      { row: 3, errors: ['E-Mail: a value is required'] },
      { row: 4, payload: { email: 'ok@x.org', lastName: 'Li', interest: 'demo' } },
    ]);
  });

  it('refuses rows whose value count differs from the header, unless relaxed', async () => {
    const csv = 'email,lastName,firstName\na@x.org,A\nb@x.org,B,Bo,extra\n';
    expect(await readAll(csv)).toEqual([
      { row: 2, errors: ['has 2 values, but the header has 3 columns'] },
      { row: 3, errors: ['has 4 values, but the header has 3 columns'] },
    ]);
    expect(await readAll(csv, { relaxColumnCount: true })).toEqual([
      { row: 2, payload: { email: 'a@x.org', lastName: 'A' } },
      { row: 3, payload: { email: 'b@x.org', lastName: 'B', firstName: 'Bo' } },
    ]);
  });

  it('reports progress in bytes, with the total when known', async () => {
    const csv = 'email\n' + 'a@x.org\n'.repeat(50);
    const seen: Array<{ bytesRead: number; totalBytes?: number }> = [];
    await readAll(csv, { totalBytes: Buffer.byteLength(csv), onProgress: (p) => seen.push(p) }, 64);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.at(-1)).toEqual({ bytesRead: Buffer.byteLength(csv), totalBytes: Buffer.byteLength(csv) });
    expect(seen.every((p, i) => i === 0 || p.bytesRead > seen[i - 1]!.bytesRead)).toBe(true);
  });

  it('closes the source when the reader stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        yield Buffer.from('email\n');
        for (let i = 0; ; i++) yield Buffer.from(`p${i}@x.org\n`);
      } finally {
        closed = true;
      }
    }
    for await (const row of readCsvLeads(source(), { fields: FIELDS })) if (row.row === 10) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });
});

describe('readCsvLeads on unreadable files', () => {
  it.each<[string, string | Buffer, string]>([
    [
      'an unclosed quote',
      'email,lastName\na@x.org,A\nb@x.org,"B\nc@x.org,C\nd@x.org,D\n',
      'Line 3: a quoted value is opened but never closed; look for a stray " in that row.',
    ],
    [
      'text after a closing quote',
      'email,lastName\na@x.org,"B"x\n',
      'Line 2: a quoted value has text after its closing quote',
    ],
    ['an empty file', '', 'The file is empty; the first row must name the columns.'],
    [
      'a header without known columns',
      'foo,bar\n1,2\n',
      'Line 1: no column matches a field of this source (expected some of: E-Mail, First name',
    ],
    [
      'a missing required column',
      'firstName\nAda\n',
      'Line 1: the file has no column for the required field E-Mail (email).',
    ],
    [
      'two columns for one field',
      'email,E-Mail\na,b\n',
      'Line 1: the columns "email" and "E-Mail" both fill the field email; keep one.',
    ],
    [
      'Windows-1252 text',
      Buffer.from('email,lastName\na@x.org,M\xfcller\n', 'latin1'),
      'the file is not UTF-8 text',
    ],
  ])('%s is csv_invalid naming the line', async (_, input, expected) => {
    const error = await failure(input);
    expect(error.code).toBe('csv_invalid');
    expect(error.status).toBe(400);
    expect(error.message).toContain(expected);
  });

  it('refuses a header map that names a field the source lacks', async () => {
    const error = await failure('Mail\na@x.org\n', { headerMap: { Mail: 'mail' } });
    expect(error.message).toContain(
      'The column map sends "Mail" to "mail", which is not one of the source\'s fields.',
    );
  });

  it('gives up on an unclosed quote early in a large file instead of buffering the rest', async () => {
    async function* generated(): AsyncGenerator<Buffer> {
      yield Buffer.from('email,lastName\na@x.org,A\nb@x.org,"B\n');
      for (let i = 0; i < 40; i++) yield Buffer.from(`c${i}@x.org,${'C'.repeat(100_000)}\n`);
    }
    let error: unknown;
    try {
      for await (const _row of readCsvLeads(generated(), { fields: FIELDS })) void _row;
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LeadbridgeError);
    expect((error as LeadbridgeError).message).toContain('Line 3: a row is too large');
  });

  it('still yields the good rows before the broken one', async () => {
    const rows: CsvRow[] = [];
    await expect(async () => {
      for await (const row of readCsvLeads(chunked('email\na@x.org\nb@x.org\n"c@x.org\n'), {
        fields: FIELDS,
      }))
        rows.push(row);
    }).rejects.toThrow('Line 4: a quoted value is opened but never closed');
    expect(rows.map((r) => r.row)).toEqual([2, 3]);
  });
});

describe('readCsvLeads on a large file', () => {
  const ROWS = 200_000;
  const ROWS_PER_CHUNK = 500;

  it('streams 200,000 rows without holding the file', async () => {
    let chunksMade = 0;
    // ~75 bytes a row, ~15 MB in all, produced only as the reader asks for it.
    async function* generated(): AsyncGenerator<Buffer> {
      yield Buffer.from('email,firstName,lastName,interest,notes\n');
      for (let start = 0; start < ROWS; start += ROWS_PER_CHUNK) {
        let text = '';
        for (let i = start; i < start + ROWS_PER_CHUNK; i++)
          text += `lead${i}@example.org,Ada${i},"Lovelace, ${i}",Demo,${'n'.repeat(20)}\n`;
        chunksMade++;
        yield Buffer.from(text);
      }
    }
    const fields: SourceField[] = [
      ...FIELDS,
      { name: 'notes', label: 'Notes', type: 'textarea', required: false },
    ];
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    let chunksMadeAtFirstRow = -1;
    let lastRow = 0;
    for await (const row of readCsvLeads(generated(), { fields })) {
      if (count === 0) chunksMadeAtFirstRow = chunksMade;
      if (!('payload' in row)) throw new Error(`row ${row.row}: ${row.errors.join('; ')}`);
      count++;
      lastRow = row.row;
      if (count % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(ROWS);
    expect(lastRow).toBe(ROWS + 1);
    // The first row arrives after a few chunks, not after the whole file was produced.
    expect(chunksMadeAtFirstRow).toBeGreaterThan(0);
    expect(chunksMadeAtFirstRow).toBeLessThan(20);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });
});
