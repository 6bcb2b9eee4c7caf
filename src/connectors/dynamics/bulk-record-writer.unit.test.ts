import { describe, expect, it } from 'vitest';
import type { CrmRecordWrite } from '../../domain/index.js';
import type { BatchItem } from './batch/batch-request.js';
import type { BatchItemOutcome } from './batch-execution.js';
import { writeRecords, type WriterClient } from './bulk-record-writer.js';
import { crmTableNames } from './crm-table-names.js';
import { DataverseError } from './dataverse-error.js';
import type { DataverseRecord } from './dataverse-request.js';

/**
 * A stand-in for Dataverse's bulk messages on a standard table: all-or-nothing, refusing a request
 * when any row fails `refuse`, with the message Dataverse would give — so the writer's isolation can
 * be counted request by request.
 */
class FakeDataverse implements WriterClient {
  readonly requests: string[] = [];
  readonly stored = new Map<string, DataverseRecord>();

  constructor(
    private readonly refuse: (row: DataverseRecord) => DataverseError | undefined = () => undefined,
    private readonly maxRows = Infinity,
  ) {}

  async createMultiple(_set: string, _table: string, records: readonly DataverseRecord[]): Promise<string[]> {
    this.requests.push(`CreateMultiple ${records.length}`);
    this.check(records);
    for (const row of records)
      if (this.stored.has(String(row['leadid'])))
        throw answer(412, '0x80040237', 'A record with matching key values already exists.');
    for (const row of records) this.stored.set(String(row['leadid']), row);
    return records.map((row) => String(row['leadid']));
  }

  async updateMultiple(_set: string, _table: string, records: readonly DataverseRecord[]): Promise<void> {
    this.requests.push(`UpdateMultiple ${records.length}`);
    this.check(records);
    const missing = records.find((row) => !this.stored.has(String(row['leadid'])));
    if (missing)
      throw answer(404, '0x80040217', `lead With Id = ${String(missing['leadid'])} Does Not Exist`);
  }

  async executeBatch(items: readonly BatchItem[]): Promise<BatchItemOutcome[]> {
    this.requests.push(`$batch ${items.length}`);
    return items.map((item) => {
      const path = decodeURIComponent('path' in item ? item.path : '');
      const values = JSON.parse(/PropertyValues=(\[.*\])\)/.exec(path)?.[1] ?? '[]') as string[];
      const rows = values.filter((id) => this.stored.has(id)).map((leadid) => ({ leadid }));
      return { status: 'succeeded', responses: [{ status: 200, headers: {}, body: { value: rows } }] };
    });
  }

  servicePathOf(link: string): string {
    return link;
  }

  private check(records: readonly DataverseRecord[]): void {
    if (records.length > this.maxRows) throw answer(413, '0x8004418A', 'The request is too large.');
    for (const row of records) {
      const error = this.refuse(row);
      if (error) throw error;
    }
  }
}

function answer(status: number, code: string, message: string): DataverseError {
  const catalogue =
    status === 404
      ? 'crm_record_not_found'
      : status === 412
        ? 'crm_duplicate'
        : status >= 500
          ? 'crm_unavailable'
          : 'crm_validation_failed';
  return new DataverseError(catalogue, message, { code, message }, { httpStatus: status });
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const leads = (
  count: number,
  values: (i: number) => Record<string, unknown> = () => ({}),
): CrmRecordWrite[] =>
  Array.from({ length: count }, (_, i) => ({ id: id(i), values: { lastname: `L${i}`, ...values(i) } }));
const lead = crmTableNames('lead');
const failedIndexes = (outcomes: readonly { ok: boolean }[]) =>
  outcomes.flatMap((outcome, index) => (outcome.ok ? [] : [index]));

/** A refusal whose message names no column rule and no id: only bisection can find the row. */
const generic = (bad: ReadonlySet<number>) => (row: DataverseRecord) =>
  bad.has(Number(String(row['leadid']).slice(-12)))
    ? answer(400, '0x80040265', 'A plug-in refused the operation.')
    : undefined;

describe('writeRecords', () => {
  it('creates everything with one request per chunk when nothing is refused', async () => {
    const fake = new FakeDataverse();
    const outcomes = await writeRecords(fake, 'CreateMultiple', lead, leads(2500));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(fake.requests).toEqual(['CreateMultiple 1000', 'CreateMultiple 1000', 'CreateMultiple 500']);
    expect(await writeRecords(fake, 'CreateMultiple', lead, [])).toEqual([]);
  });

  it.each([
    { rows: 16, bad: [5], requests: 7 },
    { rows: 16, bad: [15], requests: 5 },
    { rows: 16, bad: [0, 15], requests: 12 },
    { rows: 1000, bad: [417], requests: 16 },
  ])(
    'bisects an unexplained refusal: $rows rows, bad $bad → $requests requests',
    async ({ rows, bad, requests }) => {
      const fake = new FakeDataverse(generic(new Set(bad)));
      const outcomes = await writeRecords(fake, 'CreateMultiple', lead, leads(rows));
      expect(failedIndexes(outcomes)).toEqual(bad);
      expect(outcomes[bad[0] ?? 0]).toMatchObject({
        ok: false,
        error: {
          code: 'crm_validation_failed',
          vendorCode: '0x80040265',
          message: expect.stringContaining('A plug-in refused'),
        },
      });
      expect(fake.stored.size).toBe(rows - bad.length);
      expect(fake.requests).toHaveLength(requests);
    },
  );

  it('takes the rows a column-specific message names without bisecting', async () => {
    const fake = new FakeDataverse((row) =>
      String(row['subject'] ?? '').length > 300
        ? answer(
            400,
            '0x80044331',
            "A validation error occurred.  The length of the 'subject' attribute of the 'lead' entity exceeded the maximum allowed length of '300'.",
          )
        : undefined,
    );
    const outcomes = await writeRecords(
      fake,
      'CreateMultiple',
      lead,
      leads(1000, (i) => (i % 250 === 3 ? { subject: 'x'.repeat(301) } : {})),
    );
    expect(failedIndexes(outcomes)).toEqual([3, 253, 503, 753]);
    expect(fake.requests).toEqual(['CreateMultiple 1000', 'CreateMultiple 996']);
  });

  it('gives up isolating after its budget and says the rest may be fine', async () => {
    const fake = new FakeDataverse(generic(new Set(Array.from({ length: 1000 }, (_, i) => i))));
    const outcomes = await writeRecords(fake, 'CreateMultiple', lead, leads(1000), {
      maxIsolationRequests: 10,
    });
    expect(failedIndexes(outcomes)).toHaveLength(1000);
    expect(fake.requests.length).toBeLessThanOrEqual(1 + 10 + 10);
    expect(outcomes.at(-1)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('may be fine on its own') },
    });
  });

  it('counts ids that already exist as done and creates the rest', async () => {
    const fake = new FakeDataverse();
    const records = leads(10);
    await writeRecords(fake, 'CreateMultiple', lead, [records[2], records[7]] as CrmRecordWrite[]);
    fake.requests.length = 0;
    const outcomes = await writeRecords(fake, 'CreateMultiple', lead, records);
    expect(outcomes.map((outcome) => outcome.ok && outcome.alreadyExisted === true)).toEqual(
      records.map((_, i) => i === 2 || i === 7),
    );
    expect(fake.requests).toEqual(['CreateMultiple 10', '$batch 1', 'CreateMultiple 8']);
  });

  it('fails missing rows of an update by the id the message names, and updates the rest', async () => {
    const fake = new FakeDataverse();
    const records = leads(6);
    await writeRecords(
      fake,
      'CreateMultiple',
      lead,
      records.filter((_, i) => i !== 1 && i !== 4),
    );
    fake.requests.length = 0;
    const outcomes = await writeRecords(fake, 'UpdateMultiple', lead, records);
    expect(failedIndexes(outcomes)).toEqual([1, 4]);
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: { code: 'crm_record_not_found', vendorCode: '0x80040217' },
    });
    expect(fake.requests).toEqual(['UpdateMultiple 6', 'UpdateMultiple 5', 'UpdateMultiple 4']);
  });

  it('halves a request that is too large', async () => {
    const fake = new FakeDataverse(undefined, 300);
    const outcomes = await writeRecords(fake, 'CreateMultiple', lead, leads(1000));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(fake.requests).toEqual([
      'CreateMultiple 1000',
      'CreateMultiple 500',
      'CreateMultiple 250',
      'CreateMultiple 250',
      'CreateMultiple 500',
      'CreateMultiple 250',
      'CreateMultiple 250',
    ]);
  });

  it.each([
    [429, '0x80072322'],
    [503, ''],
    [401, ''],
    [403, '0x80040220'],
  ])('throws a %i instead of failing rows one by one', async (status, code) => {
    const fake = new FakeDataverse(() => answer(status, code, 'No.'));
    await expect(writeRecords(fake, 'CreateMultiple', lead, leads(3))).rejects.toBeInstanceOf(DataverseError);
    expect(fake.requests).toHaveLength(1);
  });
});
