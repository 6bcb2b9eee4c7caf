import { describe, expect, it } from 'vitest';

import { compileFilter } from './filter-compiler.js';
import { FilterError } from './filter-error.js';
import { parseFilter } from './filter-parser.js';
import type { FilterContext, FilterRow, FilterSchema, FilterValueType } from './filter-schema.js';

/**
 * A small lead/account/contact/task model. Related rows live in the row objects themselves
 * (`$parentaccountid`, `$Lead_Tasks`) so the schema getters stay trivial.
 */
interface TableSpec {
  readonly columns: Readonly<Record<string, FilterValueType>>;
  readonly single?: Readonly<Record<string, string>>;
  readonly collections?: Readonly<Record<string, string>>;
}

const TABLES: Readonly<Record<string, TableSpec>> = {
  lead: {
    columns: {
      leadid: 'guid',
      firstname: 'string',
      lastname: 'string',
      emailaddress1: 'string',
      subject: 'string',
      statecode: 'choice',
      revenue: 'number',
      numberofemployees: 'number',
      donotemail: 'boolean',
      createdon: 'datetime',
      _ownerid_value: 'guid',
      _owningbusinessunit_value: 'guid',
      _parentaccountid_value: 'guid',
      sample_outdooractivities: 'multichoice',
    },
    single: { parentaccountid: 'account' },
    collections: { Lead_Tasks: 'task' },
  },
  account: {
    columns: { accountid: 'guid', name: 'string', revenue: 'number' },
    single: { primarycontactid: 'contact' },
    collections: { Account_Tasks: 'task' },
  },
  contact: { columns: { contactid: 'guid', fullname: 'string' } },
  task: {
    columns: { subject: 'string', statecode: 'choice', scheduledend: 'datetime' },
    collections: { Task_Notes: 'annotation' },
  },
  annotation: { columns: { notetext: 'string' } },
};

function schemaFor(entityName: string): FilterSchema {
  const spec = TABLES[entityName];
  if (spec === undefined) throw new Error(`no table ${entityName}`);
  return {
    entityName,
    property(name) {
      const type = spec.columns[name];
      return type === undefined ? undefined : { type, get: (row) => row[name] };
    },
    singleNavigation(name) {
      const target = spec.single?.[name];
      return target === undefined
        ? undefined
        : { schema: schemaFor(target), get: (row) => row[`$${name}`] as FilterRow | undefined };
    },
    collectionNavigation(name) {
      const target = spec.collections?.[name];
      return target === undefined
        ? undefined
        : {
            schema: schemaFor(target),
            get: (row) => (row[`$${name}`] as readonly FilterRow[] | undefined) ?? [],
          };
    },
  };
}

const LEAD = schemaFor('lead');
const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
const U3 = '33333333-3333-4333-8333-333333333333';
const BU1 = 'b0000000-0000-4000-8000-000000000001';
const BU2 = 'b0000000-0000-4000-8000-000000000002';

/** Wednesday 2024-05-15 12:00 UTC; the week runs Sunday 12th to Saturday 18th. */
const NOW = new Date('2024-05-15T12:00:00Z');
const CONTEXT: FilterContext = { now: NOW, callerUserId: U1.toUpperCase(), callerBusinessUnitId: BU1 };

const ROWS: readonly FilterRow[] = [
  {
    leadid: 'a',
    firstname: 'Ann',
    lastname: "O'Brien",
    emailaddress1: 'ann@example.com',
    statecode: 0,
    revenue: 1000,
    numberofemployees: 10,
    donotemail: false,
    createdon: '2024-05-15T08:00:00Z',
    _ownerid_value: U1,
    _owningbusinessunit_value: BU1,
    _parentaccountid_value: 'acc-1',
    sample_outdooractivities: [1, 9],
    $parentaccountid: { accountid: 'acc-1', name: 'Contoso', $primarycontactid: { fullname: 'Pat Doe' } },
    $Lead_Tasks: [
      { subject: 'Call back', statecode: 1, $Task_Notes: [{ notetext: 'left voicemail' }] },
      { subject: 'Sent 100% of quote', statecode: 1 },
    ],
  },
  {
    leadid: 'b',
    firstname: 'BOB',
    lastname: 'Smith',
    emailaddress1: 'bob@EXAMPLE.org',
    statecode: 1,
    revenue: 250.5,
    numberofemployees: 2000,
    donotemail: true,
    createdon: '2024-05-14T23:59:59Z',
    _ownerid_value: U2,
    _owningbusinessunit_value: BU1,
    sample_outdooractivities: [2],
    $Lead_Tasks: [{ subject: 'Demo', statecode: 0, scheduledend: '2024-05-15T11:30:00Z' }],
  },
  {
    leadid: 'c',
    firstname: null,
    lastname: 'smith',
    emailaddress1: null,
    statecode: 0,
    revenue: null,
    numberofemployees: 5,
    donotemail: null,
    createdon: '2024-04-01T00:00:00Z',
    _ownerid_value: U1,
    _owningbusinessunit_value: BU2,
    sample_outdooractivities: null,
    $parentaccountid: { accountid: 'acc-2', name: 'Fabrikam' },
    $Lead_Tasks: [],
  },
  {
    leadid: 'd',
    firstname: 'Dana',
    lastname: 'Brien',
    emailaddress1: 'dana_x@example.com',
    subject: "x') or (1 eq 1",
    statecode: 2,
    revenue: 0,
    numberofemployees: 1,
    donotemail: false,
    createdon: '2023-12-31T10:00:00.500Z',
    _ownerid_value: U3,
    $Lead_Tasks: [{ subject: 'Follow up', statecode: 1 }],
  },
  {
    leadid: 'e',
    firstname: 'Eve',
    lastname: '[bracket]',
    emailaddress1: 'eve%@example.com',
    statecode: 0,
    revenue: -5,
    numberofemployees: 100,
    donotemail: true,
    createdon: '2024-05-20T09:00:00Z',
    _ownerid_value: null,
    sample_outdooractivities: [1, 2, 3],
  },
];

function run(
  filter: string,
  aliases?: ReadonlyMap<string, string>,
  context: FilterContext = CONTEXT,
): string {
  const predicate = compileFilter(parseFilter(filter, aliases), LEAD);
  return ROWS.filter((row) => predicate(row, context))
    .map((row) => String(row['leadid']))
    .join(',');
}

describe('compileFilter evaluation', () => {
  it.each([
    // strings: case-insensitive equality and ordering; ne and not include empty columns
    ["firstname eq 'bob'", 'b'],
    ["firstname eq 'BoB'", 'b'],
    ["firstname ne 'bob'", 'a,c,d,e'],
    ['firstname eq null', 'c'],
    ['firstname ne null', 'a,b,d,e'],
    ["lastname eq 'O''Brien'", 'a'],
    ["lastname eq 'o''brien'", 'a'],
    ["lastname gt 'p'", 'b,c'],
    ["lastname le 'brien'", 'd,e'],
    ["not (firstname eq 'bob')", 'a,c,d,e'],
    ["lastname eq 'smith' and firstname eq null", 'c'],
    ["firstname eq 'Ann' or firstname eq 'Eve' or firstname eq 'Dana'", 'a,d,e'],
    // text that looks like syntax is plain text inside a literal
    ["subject eq 'x'') or (1 eq 1'", 'd'],
    ["firstname eq 'x'') or (1 eq 1'", ''],
    ["contains(subject,') or (')", 'd'],
    // contains/startswith/endswith, case-insensitive, with SQL LIKE wildcards
    ["contains(emailaddress1,'EXAMPLE')", 'a,b,d,e'],
    ["contains(emailaddress1,'example.com')", 'a,d,e'],
    ["not contains(emailaddress1,'example.com')", 'b,c'],
    ["startswith(lastname,'o''')", 'a'],
    ["endswith(emailaddress1,'.ORG')", 'b'],
    ["endswith(lastname,'brien')", 'a,d'],
    ["contains(emailaddress1,'')", 'a,b,d,e'],
    ["contains(emailaddress1,'_')", 'a,b,d,e'],
    ["contains(emailaddress1,'[_]')", 'd'],
    ["contains(emailaddress1,'[%]')", 'e'],
    ["contains(emailaddress1,'a%x')", 'a,d'],
    ["contains(emailaddress1,'a_x')", 'd'],
    ["startswith(emailaddress1,'[a-c]')", 'a,b'],
    ["startswith(emailaddress1,'[^a-c]')", 'd,e'],
    ["startswith(emailaddress1,'_o_@')", 'b'],
    ["startswith(lastname,'[[]')", 'e'],
    ["contains(firstname,'n_')", 'a,d'],
    ["endswith(firstname,'%n')", 'a'],
    // numbers and choices
    ['statecode eq 0', 'a,c,e'],
    ['statecode ne 0', 'b,d'],
    ['revenue gt 100', 'a,b'],
    ['revenue le 0', 'd,e'],
    ['revenue ge -5.5', 'a,b,d,e'],
    ['revenue eq 250.5', 'b'],
    ['revenue eq null', 'c'],
    ['revenue ne 0', 'a,b,c,e'],
    ['revenue lt 1e3', 'b,d,e'],
    ['numberofemployees lt 10', 'c,d'],
    ['revenue gt null', ''],
    // booleans
    ['donotemail eq true', 'b,e'],
    ['donotemail eq false', 'a,d'],
    ['donotemail ne true', 'a,c,d'],
    // guids compare case-insensitively, quoted or not
    [`_ownerid_value eq ${U1.toUpperCase()}`, 'a,c'],
    [`_ownerid_value eq '${U1.toUpperCase()}'`, 'a,c'],
    [`_ownerid_value ne ${U1}`, 'b,d,e'],
    ['_ownerid_value eq null', 'e'],
    // datetimes compare instants; a date literal is midnight UTC
    ['createdon gt 2024-05-15', 'a,e'],
    ['createdon ge 2024-05-15T08:00:00Z', 'a,e'],
    ['createdon eq 2024-05-14T23:59:59Z', 'b'],
    ['createdon eq 2024-05-15T10:00:00+02:00', 'a'],
    ['createdon lt 2024-01-01T00:00:00Z', 'd'],
    ['createdon eq 2023-12-31T10:00:00.5Z', 'd'],
    ['createdon lt 2024-04-01', 'd'],
    ['createdon le 2024-04-01', 'c,d'],
    // column comparison
    ['numberofemployees gt revenue', 'b,d,e'],
    ['firstname eq lastname', ''],
    ['firstname ne lastname', 'a,b,c,d,e'],
    // single-valued navigation
    ["parentaccountid/name eq 'CONTOSO'", 'a'],
    ['parentaccountid/name eq null', 'b,d,e'],
    ["parentaccountid/primarycontactid/fullname eq 'pat doe'", 'a'],
    ['parentaccountid/primarycontactid/fullname ne null', 'a'],
    ['parentaccountid eq null', 'b,d,e'],
    ['parentaccountid ne null', 'a,c'],
    ["startswith(parentaccountid/name,'fab')", 'c'],
    // lambdas
    ['Lead_Tasks/any()', 'a,b,d'],
    ['not Lead_Tasks/any()', 'c,e'],
    ['Lead_Tasks/any(t:t/statecode eq 0)', 'b'],
    ['Lead_Tasks/all(t:t/statecode eq 1)', 'a,c,d,e'],
    ["Lead_Tasks/any(o:contains(o.subject,'100[%]'))", 'a'],
    ["Lead_Tasks/any(o:contains(o/subject,'o'))", 'a,b,d'],
    ['Lead_Tasks/any(t:t/statecode eq 1 and statecode eq 0)', 'a'],
    ["Lead_Tasks/any(t:t/Task_Notes/any(n:contains(n/notetext,'voice')))", 'a'],
    [
      "Lead_Tasks/any(t:t/Task_Notes/any(n:n/notetext ne null and t/subject eq 'call back' and statecode eq 0))",
      'a',
    ],
    ['Lead_Tasks/any(t:t/scheduledend lt 2024-05-15T12:00:00Z)', 'b'],
    ["Lead_Tasks/any(t:t/Microsoft.Dynamics.CRM.Today(PropertyName='scheduledend'))", 'b'],
    // In / NotIn compare by the column's type
    ['Microsoft.Dynamics.CRM.In(PropertyName=\'statecode\',PropertyValues=["1","2"])', 'b,d'],
    ["Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=[1,2])", 'b,d'],
    ["Microsoft.Dynamics.CRM.NotIn(PropertyName='statecode',PropertyValues=[0])", 'b,d'],
    ["Microsoft.Dynamics.CRM.In(PropertyName='lastname',PropertyValues=['BRIEN'])", 'd'],
    ['Microsoft.Dynamics.CRM.NotIn(PropertyName=\'firstname\',PropertyValues=["ann","bob"])', 'c,d,e'],
    ['Microsoft.Dynamics.CRM.In(PropertyName=\'revenue\',PropertyValues=["250.5","-5"])', 'b,e'],
    [
      `Microsoft.Dynamics.CRM.In(PropertyName='ownerid',PropertyValues=["${U2.toUpperCase()}","${U3}"])`,
      'b,d',
    ],
    [
      'Microsoft.Dynamics.CRM.In(PropertyName=\'sample_outdooractivities\',PropertyValues=["9,1","2"])',
      'a,b',
    ],
    // Between / NotBetween are inclusive
    [
      'Microsoft.Dynamics.CRM.Between(PropertyName=\'numberofemployees\',PropertyValues=["5","2000"])',
      'a,b,c,e',
    ],
    [
      'Microsoft.Dynamics.CRM.NotBetween(PropertyName=\'numberofemployees\',PropertyValues=["5","2000"])',
      'd',
    ],
    ['Microsoft.Dynamics.CRM.NotBetween(PropertyName=\'revenue\',PropertyValues=["0","1000"])', 'c,e'],
    [
      'Microsoft.Dynamics.CRM.Between(PropertyName=\'createdon\',PropertyValues=["2024-05-01","2024-05-15T08:00:00Z"])',
      'a,b',
    ],
    // choices columns
    [
      "Microsoft.Dynamics.CRM.ContainValues(PropertyName='sample_outdooractivities',PropertyValues=['2'])",
      'b,e',
    ],
    [
      "Microsoft.Dynamics.CRM.ContainValues(PropertyName='sample_outdooractivities',PropertyValues=['3','9'])",
      'a,e',
    ],
    [
      "Microsoft.Dynamics.CRM.DoesNotContainValues(PropertyName='sample_outdooractivities',PropertyValues=['2'])",
      'a,c,d',
    ],
    ["sample_outdooractivities eq '9,1'", 'a'],
    ["sample_outdooractivities ne '2'", 'a,c,d,e'],
    ['sample_outdooractivities eq null', 'c,d'],
    // caller identity
    ["Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')", 'a,c'],
    ["Microsoft.Dynamics.CRM.EqualUserId(PropertyName='_ownerid_value')", 'a,c'],
    ["Microsoft.Dynamics.CRM.NotEqualUserId(PropertyName='ownerid')", 'b,d,e'],
    ["Microsoft.Dynamics.CRM.EqualBusinessId(PropertyName='owningbusinessunit')", 'a,b'],
    ["Microsoft.Dynamics.CRM.NotEqualBusinessId(PropertyName='owningbusinessunit')", 'c,d,e'],
    // dates relative to the injected clock (Wednesday 2024-05-15 12:00 UTC)
    ["Microsoft.Dynamics.CRM.Today(PropertyName='createdon')", 'a'],
    ["Microsoft.Dynamics.CRM.Yesterday(PropertyName='createdon')", 'b'],
    ["Microsoft.Dynamics.CRM.Tomorrow(PropertyName='createdon')", ''],
    ["Microsoft.Dynamics.CRM.ThisWeek(PropertyName='createdon')", 'a,b'],
    ["Microsoft.Dynamics.CRM.LastWeek(PropertyName='createdon')", ''],
    ["Microsoft.Dynamics.CRM.NextWeek(PropertyName='createdon')", 'e'],
    ["Microsoft.Dynamics.CRM.ThisMonth(PropertyName='createdon')", 'a,b,e'],
    ["Microsoft.Dynamics.CRM.LastMonth(PropertyName='createdon')", 'c'],
    ["Microsoft.Dynamics.CRM.NextMonth(PropertyName='createdon')", ''],
    ["Microsoft.Dynamics.CRM.ThisYear(PropertyName='createdon')", 'a,b,c,e'],
    ["Microsoft.Dynamics.CRM.LastYear(PropertyName='createdon')", 'd'],
    ["Microsoft.Dynamics.CRM.NextYear(PropertyName='createdon')", ''],
    ["Microsoft.Dynamics.CRM.Last7Days(PropertyName='createdon')", 'a,b'],
    ["Microsoft.Dynamics.CRM.Next7Days(PropertyName='createdon')", 'e'],
    ["Microsoft.Dynamics.CRM.LastXHours(PropertyName='createdon',PropertyValue=5)", 'a'],
    ["Microsoft.Dynamics.CRM.LastXHours(PropertyName='createdon',PropertyValue=4)", 'a'],
    ["Microsoft.Dynamics.CRM.LastXHours(PropertyName='createdon',PropertyValue=3)", ''],
    ["Microsoft.Dynamics.CRM.NextXHours(PropertyName='createdon',PropertyValue=200)", 'e'],
    ["Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=1)", 'a,b'],
    ["Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=0)", 'a'],
    ["Microsoft.Dynamics.CRM.NextXDays(PropertyName='createdon',PropertyValue=4)", ''],
    ["Microsoft.Dynamics.CRM.NextXDays(PropertyName='createdon',PropertyValue=5)", 'e'],
    ["Microsoft.Dynamics.CRM.LastXWeeks(PropertyName='createdon',PropertyValue=7)", 'a,b,c'],
    ["Microsoft.Dynamics.CRM.NextXWeeks(PropertyName='createdon',PropertyValue=1)", 'e'],
    ["Microsoft.Dynamics.CRM.LastXMonths(PropertyName='createdon',PropertyValue=2)", 'a,b,c'],
    ["Microsoft.Dynamics.CRM.NextXMonths(PropertyName='createdon',PropertyValue=1)", 'e'],
    ["Microsoft.Dynamics.CRM.LastXYears(PropertyName='createdon',PropertyValue=1)", 'a,b,c,d'],
    ["Microsoft.Dynamics.CRM.NextXYears(PropertyName='createdon',PropertyValue=1)", 'e'],
    ["Microsoft.Dynamics.CRM.OlderThanXMinutes(PropertyName='createdon',PropertyValue=240)", 'b,c,d'],
    ["Microsoft.Dynamics.CRM.OlderThanXHours(PropertyName='createdon',PropertyValue=12)", 'b,c,d'],
    ["Microsoft.Dynamics.CRM.OlderThanXDays(PropertyName='createdon',PropertyValue=30)", 'c,d'],
    ["Microsoft.Dynamics.CRM.OlderThanXWeeks(PropertyName='createdon',PropertyValue=4)", 'c,d'],
    ["Microsoft.Dynamics.CRM.OlderThanXMonths(PropertyName='createdon',PropertyValue=1)", 'c,d'],
    ["Microsoft.Dynamics.CRM.OlderThanXYears(PropertyName='createdon',PropertyValue=0)", 'a,b,c,d'],
    ["Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='2024-05-14')", 'b'],
    ["Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue=2024-05-14)", 'b'],
    ["Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='createdon',PropertyValue='2024-05-15')", 'a,e'],
    ["Microsoft.Dynamics.CRM.OnOrBefore(PropertyName='createdon',PropertyValue='2024-04-01')", 'c,d'],
    [
      "Microsoft.Dynamics.CRM.OnOrBefore(PropertyName='createdon',PropertyValue='2024-04-01T23:00:00Z')",
      'c,d',
    ],
    ["not Microsoft.Dynamics.CRM.ThisMonth(PropertyName='createdon') and statecode eq 0", 'c'],
  ])('%s → %s', (filter, expected) => {
    expect(run(filter)).toBe(expected);
  });

  it.each([
    ['Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)', 'a,b,c'],
    ['Microsoft.Dynamics.CRM.LastXDays(PropertyName=@date,PropertyValue=@days)', 'a,b'],
    ['Microsoft.Dynamics.CRM.Next7Days(PropertyName=@date)', 'e'],
    ['lastname eq @name or statecode eq @state', 'a,d'],
  ])('with aliases: %s → %s', (filter, expected) => {
    const aliases = new Map([
      ['@p1', "'lastname'"],
      ['@p2', '["SMITH","o\'brien"]'],
      ['@date', "'createdon'"],
      ['@days', '1'],
      ['@name', "'O''Brien'"],
      ['@state', '2'],
    ]);
    expect(run(filter, aliases)).toBe(expected);
  });

  it('re-evaluates relative dates when the clock moves, with one compiled predicate', () => {
    const predicate = compileFilter(
      parseFilter("Microsoft.Dynamics.CRM.Today(PropertyName='createdon')"),
      LEAD,
    );
    const matching = (now: string): string =>
      ROWS.filter((row) => predicate(row, { now: new Date(now) }))
        .map((row) => String(row['leadid']))
        .join(',');
    expect(matching('2024-05-15T00:00:00Z')).toBe('a');
    expect(matching('2024-05-14T23:59:59.999Z')).toBe('b');
    expect(matching('2024-05-20T23:59:59Z')).toBe('e');
  });

  it('EqualUserId matches nothing when the caller is unknown', () => {
    expect(run("Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')", undefined, { now: NOW })).toBe(
      '',
    );
  });

  it('never throws while evaluating odd row contents', () => {
    const predicate = compileFilter(
      parseFilter(
        "contains(firstname,'a%') and revenue gt 1 and createdon gt 2024-01-01 and Lead_Tasks/any(t:t/statecode eq 1) and parentaccountid/name eq 'x' and Microsoft.Dynamics.CRM.ContainValues(PropertyName='sample_outdooractivities',PropertyValues=[1])",
      ),
      LEAD,
    );
    const odd: FilterRow[] = [
      {},
      { firstname: 42, revenue: '5', createdon: 'not a date', $Lead_Tasks: [{}], $parentaccountid: {} },
      { firstname: 'ann', revenue: 5, createdon: '2024-13-45T99:99:99Z', sample_outdooractivities: 'x,y' },
      { createdon: new Date('2024-06-01T00:00:00Z'), sample_outdooractivities: '1,2' },
    ];
    for (const row of odd) expect(typeof predicate(row, CONTEXT)).toBe('boolean');
  });
});

describe('compileFilter errors', () => {
  it.each([
    ['foo eq 1', "Could not find a property named 'foo' on type 'Microsoft.Dynamics.CRM.lead'."],
    [
      "parentaccountid/foo eq 'x'",
      "Could not find a property named 'foo' on type 'Microsoft.Dynamics.CRM.account'.",
    ],
    ["nope/name eq 'x'", "Could not find a property named 'nope' on type 'Microsoft.Dynamics.CRM.lead'."],
    [
      'Lead_Tasks/any(t:t/nope eq 1)',
      "Could not find a property named 'nope' on type 'Microsoft.Dynamics.CRM.task'.",
    ],
    ['Nope/any()', "Could not find a property named 'Nope' on type 'Microsoft.Dynamics.CRM.lead'."],
    ["contains(nope,'x')", "Could not find a property named 'nope' on type 'Microsoft.Dynamics.CRM.lead'."],
    [
      "Microsoft.Dynamics.CRM.In(PropertyName='nope',PropertyValues=[1])",
      "Could not find a property named 'nope' on type 'Microsoft.Dynamics.CRM.lead'.",
    ],
    [
      'firstname eq 5',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'.",
    ],
    [
      "statecode eq '0'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'.",
    ],
    [
      "revenue gt '5'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Decimal' and 'Edm.String' for operator kind 'GreaterThan'.",
    ],
    [
      "createdon gt '2024-01-01'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThan'.",
    ],
    [
      "_ownerid_value eq 'not-a-guid'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'.",
    ],
    [
      'firstname eq 6f2b6a7e-1234-4abc-8def-0123456789ab',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Guid' for operator kind 'Equal'.",
    ],
    [
      'donotemail eq 1',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.Int32' for operator kind 'Equal'.",
    ],
    [
      'firstname le 2024-01-01',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Date' for operator kind 'LessThanOrEqual'.",
    ],
    [
      'firstname eq revenue',
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Decimal' for operator kind 'Equal'.",
    ],
    [
      "sample_outdooractivities gt '1'",
      "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.String' for operator kind 'GreaterThan'.",
    ],
    [
      "parentaccountid eq 'x'",
      "A binary operator with incompatible types was detected. Found operand types 'Microsoft.Dynamics.CRM.parentaccountid' and 'Edm.String' for operator kind 'Equal'.",
    ],
    ["'x' eq firstname", "The left side of the 'Equal' operator must be a property of the entity."],
    ['1 eq 1', "The left side of the 'Equal' operator must be a property of the entity."],
    [
      "contains(statecode,'1')",
      "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true).",
    ],
    [
      'startswith(firstname,1)',
      "No function signature for the function with name 'startswith' matches the specified arguments. The function signatures considered are: startswith(Edm.String Nullable=true, Edm.String Nullable=true).",
    ],
    ['contains(firstname,lastname)', "The second argument of 'contains' must be a string literal."],
    ["contains('x',firstname)", "The first argument of 'contains' must be a property of the entity."],
    [
      'donotemail',
      "The $filter expression must evaluate to a single boolean value; compare the value explicitly, as in 'name eq 'x''.",
    ],
    [
      "parentaccountid/Account_Tasks/any(t:t/subject eq 'x')",
      "Lambda operators can only be applied to a collection-valued navigation property of the entity itself, not to 'parentaccountid/Account_Tasks'.",
    ],
    [
      "Microsoft.Dynamics.CRM.LastXDays(PropertyName='firstname',PropertyValue=1)",
      "The function 'Microsoft.Dynamics.CRM.LastXDays' cannot be used with the property 'firstname' of type 'Edm.String'.",
    ],
    [
      "Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=-1)",
      "The parameter 'PropertyValue' of 'Microsoft.Dynamics.CRM.LastXDays' must be a non-negative whole number.",
    ],
    [
      "Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue='seven')",
      "The parameter 'PropertyValue' of 'Microsoft.Dynamics.CRM.LastXDays' must be a non-negative whole number.",
    ],
    [
      "Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='yesterday')",
      "The parameter 'PropertyValue' of 'Microsoft.Dynamics.CRM.On' must be a date such as '2024-01-01'.",
    ],
    [
      'Microsoft.Dynamics.CRM.In(PropertyName=\'statecode\',PropertyValues=["abc"])',
      "The value 'abc' is not valid for the property 'statecode' of type 'Edm.Int32'.",
    ],
    [
      "Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues='1')",
      'The parameter \'PropertyValues\' of \'Microsoft.Dynamics.CRM.In\' must be an array such as ["a","b"].',
    ],
    [
      'Microsoft.Dynamics.CRM.Between(PropertyName=\'revenue\',PropertyValues=["1"])',
      "The parameter 'PropertyValues' of 'Microsoft.Dynamics.CRM.Between' must contain exactly two values.",
    ],
    [
      'Microsoft.Dynamics.CRM.Between(PropertyName=\'donotemail\',PropertyValues=["1","2"])',
      "The function 'Microsoft.Dynamics.CRM.Between' cannot be used with the property 'donotemail' of type 'Edm.Boolean'.",
    ],
    [
      "Microsoft.Dynamics.CRM.ContainValues(PropertyName='statecode',PropertyValues=['1'])",
      "The function 'Microsoft.Dynamics.CRM.ContainValues' cannot be used with the property 'statecode' of type 'Edm.Int32'.",
    ],
    [
      "Microsoft.Dynamics.CRM.EqualUserId(PropertyName='firstname')",
      "The function 'Microsoft.Dynamics.CRM.EqualUserId' cannot be used with the property 'firstname' of type 'Edm.String'.",
    ],
    [
      'Microsoft.Dynamics.CRM.Today(PropertyName=1)',
      "The parameter 'PropertyName' of 'Microsoft.Dynamics.CRM.Today' must be a string such as 'name'.",
    ],
    [
      "Microsoft.Dynamics.CRM.Under(PropertyName='leadid',PropertyValue='a')",
      "The function 'Microsoft.Dynamics.CRM.Under' is not supported by this Dataverse emulator.",
    ],
    [
      "Microsoft.Dynamics.CRM.InFiscalPeriodAndYear(PropertyName='createdon',PropertyValue1=1,PropertyValue2=2024)",
      "The function 'Microsoft.Dynamics.CRM.InFiscalPeriodAndYear' is not supported by this Dataverse emulator.",
    ],
  ])('%s', (filter, message) => {
    let thrown: unknown;
    try {
      compileFilter(parseFilter(filter), LEAD);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FilterError);
    expect((thrown as FilterError).message).toBe(message);
  });
});

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parse + compile + evaluate fuzzing', () => {
  const random = mulberry32(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const properties = [
    'firstname',
    'statecode',
    'revenue',
    'createdon',
    '_ownerid_value',
    'donotemail',
    'sample_outdooractivities',
    'parentaccountid/name',
    'parentaccountid',
    'nope',
    't/subject',
    't/statecode',
  ];
  const literals = [
    "'x'",
    "'O''Brien'",
    "'%a[_]'",
    '0',
    '-1.5',
    '1e3',
    'true',
    'null',
    '2024-05-15',
    '2024-05-15T08:00:00Z',
    '11111111-1111-4111-8111-111111111111',
    "'9,1'",
  ];
  const functions = [
    'In',
    'NotIn',
    'Between',
    'LastXDays',
    'On',
    'Today',
    'EqualUserId',
    'ContainValues',
    'NotOn',
  ];

  function condition(depth: number): string {
    const roll = random();
    if (depth > 3 || roll < 0.35)
      return `${pick(properties)} ${pick(['eq', 'ne', 'gt', 'le'])} ${pick(literals)}`;
    if (roll < 0.45)
      return `${pick(['contains', 'startswith', 'endswith'])}(${pick(properties)},${pick(literals)})`;
    if (roll < 0.55) return `not ${condition(depth + 1)}`;
    if (roll < 0.7) return `(${condition(depth + 1)} ${pick(['and', 'or'])} ${condition(depth + 1)})`;
    if (roll < 0.8) return `Lead_Tasks/${pick(['any', 'all'])}(t:${condition(depth + 1)})`;
    const values = pick(['["1","2"]', "['2024-05-01','2024-05-20']", '[0]', '7', "'2024-05-14'"]);
    const parameter = pick(['PropertyValues', 'PropertyValue', 'PropertyValue', 'Nope']);
    return `Microsoft.Dynamics.CRM.${pick(functions)}(PropertyName='${pick(['statecode', 'createdon', 'ownerid', 'sample_outdooractivities'])}',${parameter}=${values})`;
  }

  it('only ever throws FilterError, and evaluates whatever compiles', () => {
    let compiled = 0;
    for (let i = 0; i < 3000; i++) {
      let text = condition(0);
      // Sometimes damage the text to reach error paths deep inside valid-looking filters.
      if (random() < 0.3) {
        const at = Math.floor(random() * text.length);
        text = text.slice(0, at) + pick(["'", '(', ')', ',', ' ', '/', '', '@p']) + text.slice(at + 1);
      }
      try {
        const predicate = compileFilter(parseFilter(text), LEAD);
        compiled++;
        for (const row of ROWS) expect(typeof predicate(row, CONTEXT)).toBe('boolean');
      } catch (error) {
        if (!(error instanceof FilterError))
          throw new Error(`non-FilterError for ${JSON.stringify(text)}: ${String(error)}`);
      }
    }
    expect(compiled).toBeGreaterThan(150);
  });
});

describe('strict dates inside query function values', () => {
  it.each([
    'Microsoft.Dynamics.CRM.Between(PropertyName=\'createdon\',PropertyValues=["2024-02-30","2024-03-01"])',
    'Microsoft.Dynamics.CRM.In(PropertyName=\'createdon\',PropertyValues=["yesterday"])',
  ])('%s', (filter) => {
    expect(() => compileFilter(parseFilter(filter), LEAD)).toThrow(
      /^The value '.*' is not valid for the property 'createdon' of type 'Edm.DateTimeOffset'\.$/,
    );
  });

  it('In over datetimes matches instants', () => {
    expect(
      run(
        'Microsoft.Dynamics.CRM.In(PropertyName=\'createdon\',PropertyValues=["2024-05-14T23:59:59Z","2024-04-01"])',
      ),
    ).toBe('b,c');
  });
});

describe('deep but legal nesting', () => {
  it('compiles and evaluates filters nested close to the parser limit', () => {
    // Each `not (` is two nesting levels (the not and the parenthesis); 99 of them is 198 < MAX_NESTING_DEPTH.
    const depth = 99;
    const filter = `${'not ('.repeat(depth)}statecode eq 0${')'.repeat(depth)}`;
    expect(run(filter)).toBe('b,d');
    const lambdas = `(Lead_Tasks/any(t:${'('.repeat(150)}t/statecode eq 0${')'.repeat(150)}))`;
    expect(run(lambdas)).toBe('b');
  });
});
