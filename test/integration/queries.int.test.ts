import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';
import { expectDataverseError, freshAppToken, webApi, type WebApiHttp } from '../support/web-api-http.js';

/**
 * Queries (protocols/dataverse.md §2, §6, §7, checklist items 7 and 8): ordering, counting, paging
 * that survives concurrent writes, nested expansion, relative-date functions against an injected clock,
 * the activitypointer view and change tracking's refusals.
 */
let running: RunningEmulator;
let api: WebApiHttp;

beforeAll(async () => {
  running = await startDataverseEmulator();
  api = webApi(running);
});
afterAll(async () => {
  await running?.close();
});

interface Row {
  readonly leadid: string;
  readonly lastname: string;
  readonly companyname: string | null;
}
interface Page<T = Row> {
  readonly '@odata.context': string;
  readonly '@odata.count'?: number;
  readonly '@odata.nextLink'?: string;
  readonly value: T[];
}

const tagged = (tag: string) => encodeURIComponent(`jobtitle eq '${tag}'`);

async function createTagged(tag: string, rows: readonly { lastname: string; companyname?: string }[]) {
  const ids: string[] = [];
  for (const row of rows) ids.push(await api.create('leads', { jobtitle: tag, ...row }));
  return ids;
}

describe('$orderby, $top and $count', () => {
  const tag = 'Q-ORDER';
  beforeAll(async () => {
    await createTagged(tag, [
      { lastname: 'delta', companyname: 'Acme' },
      { lastname: 'Alpha', companyname: 'Zeta' },
      { lastname: 'charlie', companyname: 'Acme' },
      { lastname: 'Bravo', companyname: 'acme' },
      { lastname: 'echo' },
    ]);
  });

  it('sorts case-insensitively, descending, with ties broken by the next key', async () => {
    const result = await api.get(
      `leads?$select=lastname,companyname&$filter=${tagged(tag)}&$orderby=companyname desc,lastname asc`,
    );
    expect(result.status).toBe(200);
    // Empty values sort first ascending, so last descending.
    expect(result.json<Page>().value.map((r) => r.lastname)).toEqual([
      'Alpha',
      'Bravo',
      'charlie',
      'delta',
      'echo',
    ]);
    const asc = await api.get(`leads?$select=lastname&$filter=${tagged(tag)}&$orderby=lastname`);
    expect(asc.json<Page>().value.map((r) => r.lastname)).toEqual([
      'Alpha',
      'Bravo',
      'charlie',
      'delta',
      'echo',
    ]);
  });

  it('orders ties the same way on every request', async () => {
    const url = `leads?$select=lastname&$filter=${tagged(tag)}&$orderby=companyname`;
    const first = (await api.get(url)).json<Page>().value.map((r) => r.leadid);
    const second = (await api.get(url)).json<Page>().value.map((r) => r.leadid);
    expect(second).toEqual(first);
  });

  it('limits with $top and sends no nextLink', async () => {
    const result = await api.get(
      `leads?$select=lastname&$filter=${tagged(tag)}&$orderby=lastname desc&$top=2`,
    );
    const page = result.json<Page>();
    expect(page.value.map((r) => r.lastname)).toEqual(['echo', 'delta']);
    expect(page['@odata.nextLink']).toBeUndefined();
    expect((await api.get(`leads?$filter=${tagged(tag)}&$top=0`)).json<Page>().value).toEqual([]);
  });

  it('$count=true adds @odata.count of every match, not just the page', async () => {
    const result = await api.get(`leads?$select=lastname&$filter=${tagged(tag)}&$count=true&$top=1`);
    const page = result.json<Page>();
    expect(page['@odata.count']).toBe(5);
    expect(page.value).toHaveLength(1);
    const without = await api.get(`leads?$select=lastname&$filter=${tagged(tag)}&$count=false`);
    expect(without.json<Page>()['@odata.count']).toBeUndefined();
    expectDataverseError(await api.get('leads?$count=yes'), 400, '0x80060888');
  });

  it('/$count answers text/plain, honouring $filter', async () => {
    const all = await api.get('leads/$count');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe('text/plain');
    expect(all.text).toMatch(/^\d+$/);
    expect(Number(all.text)).toBe(running.emulator.env.store.count('lead'));
    const some = await api.get(`leads/$count?$filter=${tagged(tag)}`);
    expect(some.text).toBe('5');
  });

  it('adds totalrecordcount annotations when asked for', async () => {
    const result = await api.get(`leads?$select=lastname&$filter=${tagged(tag)}&$count=true`, {
      prefer:
        'odata.include-annotations="Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"',
    });
    expect(result.json()).toMatchObject({
      '@Microsoft.Dynamics.CRM.totalrecordcount': 5,
      '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded': false,
    });
  });
});

describe('paging with odata.maxpagesize', () => {
  async function pageThrough(
    first: string,
    pageSize: number,
    between: (page: number) => Promise<void> = async () => undefined,
  ): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let url: string | undefined = first;
    let pages = 0;
    while (url) {
      const result = await api.get(url, { prefer: `odata.maxpagesize=${pageSize}` });
      expect(result.status, result.text).toBe(200);
      expect(result.headers.get('preference-applied')).toBe(`odata.maxpagesize=${pageSize}`);
      const page = result.json<Page>();
      expect(page.value.length).toBeLessThanOrEqual(pageSize);
      ids.push(...page.value.map((r) => r.leadid));
      url = page['@odata.nextLink'];
      if (url) {
        expect(url).toContain('$skiptoken=');
        expect(url).toContain('$select=lastname');
      }
      pages++;
      await between(pages);
    }
    return { ids, pages };
  }

  it('returns every row exactly once', async () => {
    const total = await api.count('leads');
    const { ids, pages } = await pageThrough('leads?$select=lastname', 4);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 4));
  });

  it('never repeats or skips a row when rows are created between pages', async () => {
    const before = new Set((await api.get('leads?$select=lastname')).json<Page>().value.map((r) => r.leadid));
    const { ids } = await pageThrough('leads?$select=lastname', 3, async (page) => {
      if (page <= 4) await api.create('leads', { lastname: `Created during paging ${page}` });
    });
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of before) expect(ids).toContain(id);
  });

  it('never repeats or skips a row when the last row of a page is deleted before the next page', async () => {
    const tag = 'Q-PAGE-DELETE';
    const created = await createTagged(
      tag,
      Array.from({ length: 9 }, (_, i) => ({ lastname: `Paged ${String(i).padStart(2, '0')}` })),
    );
    const url = `leads?$select=lastname&$filter=${tagged(tag)}&$orderby=lastname`;
    const deleted: string[] = [];
    // Delete each page's last row before asking for the next page: the cursor row is gone.
    const seen: string[] = [];
    let next: string | undefined = url;
    while (next) {
      const page: Page = (await api.get(next, { prefer: 'odata.maxpagesize=3' })).json<Page>();
      seen.push(...page.value.map((r) => r.leadid));
      next = page['@odata.nextLink'];
      const lastRow = page.value[page.value.length - 1];
      if (next && lastRow) {
        expect((await api.del(`leads(${lastRow.leadid})`)).status).toBe(204);
        deleted.push(lastRow.leadid);
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(created));
    expect(deleted).toHaveLength(2);
  });

  it('pages through ties in $orderby without repeating or skipping', async () => {
    const tag = 'Q-PAGE-TIES';
    const created = await createTagged(
      tag,
      Array.from({ length: 7 }, (_, i) => ({ lastname: `Tie ${i}`, companyname: 'Same Company' })),
    );
    const { ids } = await pageThrough(
      `leads?$select=lastname&$filter=${tagged(tag)}&$orderby=companyname`,
      2,
    );
    expect(ids).toHaveLength(7);
    expect(new Set(ids)).toEqual(new Set(created));
  });

  it('ignores $top when a page size is requested', async () => {
    const result = await api.get('leads?$select=lastname&$top=2', { prefer: 'odata.maxpagesize=5' });
    const page = result.json<Page>();
    expect(page.value).toHaveLength(5);
    expect(page['@odata.nextLink']).toBeDefined();
  });
});

describe('$expand', () => {
  let accountId: string;
  beforeAll(async () => {
    const contactId = await api.create('contacts', { firstname: 'Pat', lastname: 'Primary' });
    accountId = await api.create('accounts', {
      name: 'Expanded',
      'primarycontactid@odata.bind': `/contacts(${contactId})`,
    });
    for (const subject of ['Call A', 'Email B', 'Call C', 'Call D', 'Visit E'])
      await api.create('tasks', {
        subject,
        'regardingobjectid_account_task@odata.bind': `/accounts(${accountId})`,
      });
  });

  it('filters, orders and limits a collection expansion', async () => {
    const expand = encodeURIComponent(
      "Account_Tasks($select=subject;$filter=startswith(subject,'call');$orderby=subject desc;$top=2)",
    );
    const result = await api.get(`accounts(${accountId})?$select=name&$expand=${expand}`);
    expect(result.status, result.text).toBe(200);
    const body = result.json<{
      Account_Tasks: { subject: string; '@odata.etag': string; activityid: string }[];
    }>();
    expect(body.Account_Tasks.map((t) => t.subject)).toEqual(['Call D', 'Call C']);
    for (const task of body.Account_Tasks) {
      expect(task['@odata.etag']).toMatch(/^W\/"\d+"$/);
      expect(task.activityid).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('expands two levels deep, through a collection and through single-valued lookups', async () => {
    const expand = encodeURIComponent(
      'Account_Tasks($select=subject;$orderby=subject;$top=1;$expand=regardingobjectid_account_task($select=name;$expand=primarycontactid($select=fullname)))',
    );
    const result = await api.get(`accounts(${accountId})?$select=name&$expand=${expand}`);
    expect(result.status, result.text).toBe(200);
    expect(result.json()).toMatchObject({
      name: 'Expanded',
      Account_Tasks: [
        {
          subject: 'Call A',
          regardingobjectid_account_task: { name: 'Expanded', primarycontactid: { fullname: 'Pat Primary' } },
        },
      ],
    });
    const fromList = await api.get(
      `tasks?$select=subject&$filter=${encodeURIComponent("subject eq 'Visit E'")}&$expand=regardingobjectid_account_task($select=name;$expand=primarycontactid($select=lastname))`,
    );
    expect(fromList.json<Page<Record<string, unknown>>>().value[0]).toMatchObject({
      regardingobjectid_account_task: { name: 'Expanded', primarycontactid: { lastname: 'Primary' } },
    });
  });

  it('refuses $filter inside the expansion of a single-valued navigation property', async () => {
    const expand = encodeURIComponent("primarycontactid($filter=lastname eq 'x')");
    expectDataverseError(await api.get(`accounts(${accountId})?$expand=${expand}`), 400, '0x80060888');
  });
});

describe('activitypointers', () => {
  it('lists tasks and phone calls of a lead together, with their activity type', async () => {
    const leadId = await api.create('leads', { lastname: 'Busy' });
    const taskId = await api.create('tasks', {
      subject: 'Pointer task',
      'regardingobjectid_lead_task@odata.bind': `/leads(${leadId})`,
    });
    const callId = await api.create('phonecalls', {
      subject: 'Pointer call',
      phonenumber: '+1 555 0100',
      'regardingobjectid_lead_phonecall@odata.bind': `/leads(${leadId})`,
    });
    const result = await api.get(
      `activitypointers?$select=subject,activitytypecode&$filter=_regardingobjectid_value eq ${leadId}&$orderby=subject desc`,
    );
    expect(result.status, result.text).toBe(200);
    expect(result.json<Page<Record<string, unknown>>>().value).toEqual([
      expect.objectContaining({ activityid: taskId, subject: 'Pointer task', activitytypecode: 'task' }),
      expect.objectContaining({ activityid: callId, subject: 'Pointer call', activitytypecode: 'phonecall' }),
    ]);
    const single = await api.get(`activitypointers(${callId})?$select=activitytypecode`);
    expect(single.json<{ activitytypecode: string }>().activitytypecode).toBe('phonecall');
    const related = await api.get(`leads(${leadId})/Lead_ActivityPointers?$select=subject`);
    expect(
      related
        .json<Page<{ activityid: string }>>()
        .value.map((a) => a.activityid)
        .sort(),
    ).toEqual([taskId, callId].sort());
  });
});

describe('change tracking', () => {
  it.each(['$filter', '$orderby', '$expand', '$top'])(
    'refuses %s with Prefer: odata.track-changes',
    async (option) => {
      const values: Record<string, string> = {
        $filter: encodeURIComponent("lastname eq 'x'"),
        $orderby: 'lastname',
        $expand: 'ownerid',
        $top: '1',
      };
      const result = await api.get(`leads?$select=lastname&${option}=${values[option] ?? ''}`, {
        prefer: 'odata.track-changes',
      });
      expectDataverseError(
        result,
        400,
        '0x80060888',
        `The "${option}" query parameter isn't supported when Change Tracking is enabled.`,
      );
    },
  );

  it('accepts $select and answers with a delta link', async () => {
    const result = await api.get('leads?$select=lastname', { prefer: 'odata.track-changes' });
    expect(result.status).toBe(200);
    expect(result.headers.get('preference-applied')).toBe('odata.track-changes');
    const link = result.json<{ '@odata.deltaLink': string }>()['@odata.deltaLink'];
    expect(link.startsWith(`${api.root}leads?$select=lastname&$deltatoken=`)).toBe(true);
    // `<versionnumber>!MM/dd/yyyy HH:mm:ss` (protocols/dataverse.md §6).
    const token = decodeURIComponent(new URL(link).search.split('$deltatoken=')[1] ?? '');
    expect(token).toMatch(/^\d+!\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
  });
});

describe('relative-date query functions against an injected clock', () => {
  let dated: RunningEmulator;
  let datedApi: WebApiHttp;
  let offsetMs = 0;
  const DAY = 86_400_000;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dated = await startDataverseEmulator({ now: () => new Date(Date.now() + offsetMs) });
    // Fresh tokens: the clock moves, so a cached one would be refused as not yet valid or expired.
    datedApi = webApi(dated, { token: () => freshAppToken(dated) });
    for (const [name, days] of [
      ['ten', 10],
      ['three', 3],
      ['today', 0],
    ] as const) {
      offsetMs = -days * DAY;
      ids[name] = await datedApi.create('leads', { lastname: `Dated ${name}`, jobtitle: 'Q-DATED' });
    }
    offsetMs = 0;
  });
  afterAll(async () => {
    await dated?.close();
  });

  async function datedNames(fn: string): Promise<string[]> {
    const filter = encodeURIComponent(`jobtitle eq 'Q-DATED' and ${fn}`);
    const result = await datedApi.get(`leads?$select=lastname&$filter=${filter}&$orderby=createdon`);
    expect(result.status, result.text).toBe(200);
    return result.json<Page>().value.map((r) => r.lastname);
  }

  it('stamps createdon from the injected clock', async () => {
    const row = await datedApi.get(`leads(${ids['ten'] ?? ''})?$select=createdon`);
    const createdon = Date.parse(row.json<{ createdon: string }>().createdon);
    expect(Math.abs(createdon - (Date.now() - 10 * DAY))).toBeLessThan(60_000);
  });

  it('LastXDays, OlderThanXDays and Today select by the injected now', async () => {
    expect(
      await datedNames("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=7)"),
    ).toEqual(['Dated three', 'Dated today']);
    expect(
      await datedNames("Microsoft.Dynamics.CRM.OlderThanXDays(PropertyName='createdon',PropertyValue=5)"),
    ).toEqual(['Dated ten']);
    expect(await datedNames("Microsoft.Dynamics.CRM.Today(PropertyName='createdon')")).toEqual([
      'Dated today',
    ]);
  });

  it('OnOrAfter and OnOrBefore compare whole days', async () => {
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);
    expect(
      await datedNames(
        `Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='createdon',PropertyValue='${day(3)}')`,
      ),
    ).toEqual(['Dated three', 'Dated today']);
    expect(
      await datedNames(
        `Microsoft.Dynamics.CRM.OnOrBefore(PropertyName='createdon',PropertyValue='${day(3)}')`,
      ),
    ).toEqual(['Dated ten', 'Dated three']);
  });

  it('follows the clock when it moves on', async () => {
    offsetMs = 5 * DAY;
    try {
      expect(
        await datedNames("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=7)"),
      ).toEqual(['Dated today']);
    } finally {
      offsetMs = 0;
    }
  });
});
