import { describe, expect, it } from 'vitest';

import { FilterError } from './filter-error.js';
import { MAX_NESTING_DEPTH, parseFilter } from './filter-parser.js';
import { toSExpression } from './filter-sexpr.js';

const ALIASES: ReadonlyMap<string, string> = new Map([
  ['@p1', "'lastname'"],
  ['@p2', '["OBrian","OBryan","O\'Brian"]'],
  ['@p3', '42'],
  ['@name', "'O''Brien'"],
  ['@when', '2024-01-01T00:00:00Z'],
  ['@id', '6F2B6A7E-0000-4000-8000-00000000000A'],
]);

describe('parseFilter → S-expression', () => {
  it.each([
    // comparisons
    ["name eq 'x'", '(eq (id name) "x")'],
    ["name ne 'x'", '(ne (id name) "x")'],
    ['revenue gt 100000', '(gt (id revenue) 100000)'],
    ['revenue ge 100000', '(ge (id revenue) 100000)'],
    ['revenue lt 100000', '(lt (id revenue) 100000)'],
    ['revenue le 100000', '(le (id revenue) 100000)'],
    ['firstname eq lastname', '(eq (id firstname) (id lastname))'],
    ["'x' eq name", '(eq "x" (id name))'],
    ["  name   eq    'x'  ", '(eq (id name) "x")'],
    ["name eq 'a'\nand\tcity eq 'b'", '(and (eq (id name) "a") (eq (id city) "b"))'],
    // precedence: not > comparison > and > or; and/or associate to the left
    ["not name eq 'x'", '(not (eq (id name) "x"))'],
    ["not name eq 'x' and a eq 1", '(and (not (eq (id name) "x")) (eq (id a) 1))'],
    ['a eq 1 or b eq 2 and c eq 3', '(or (eq (id a) 1) (and (eq (id b) 2) (eq (id c) 3)))'],
    ['a eq 1 and b eq 2 or c eq 3', '(or (and (eq (id a) 1) (eq (id b) 2)) (eq (id c) 3))'],
    ['a eq 1 and b eq 2 and c eq 3', '(and (and (eq (id a) 1) (eq (id b) 2)) (eq (id c) 3))'],
    ['a eq 1 or b eq 2 or c eq 3', '(or (or (eq (id a) 1) (eq (id b) 2)) (eq (id c) 3))'],
    ['not not a eq 1', '(not (not (eq (id a) 1)))'],
    // parentheses
    ['(a eq 1)', '(eq (id a) 1)'],
    ['((a eq 1))', '(eq (id a) 1)'],
    ['a eq 1 and (b eq 2 or c eq 3)', '(and (eq (id a) 1) (or (eq (id b) 2) (eq (id c) 3)))'],
    [
      '(a eq 1 and ((b eq 2 or c eq 3) or d eq 4)) or e eq 5',
      '(or (and (eq (id a) 1) (or (or (eq (id b) 2) (eq (id c) 3)) (eq (id d) 4))) (eq (id e) 5))',
    ],
    ['not (a eq 1 or b eq 2)', '(not (or (eq (id a) 1) (eq (id b) 2)))'],
    ['not(a eq 1)', '(not (eq (id a) 1))'],
    ['(a) eq 1', '(eq (id a) 1)'],
    ['a eq (1)', '(eq (id a) 1)'],
    // strings: doubled quotes, empty, text that looks like syntax
    ["lastname eq 'O''Bryan'", '(eq (id lastname) "O\'Bryan")'],
    ["name eq ''", '(eq (id name) "")'],
    ["name eq ''''", '(eq (id name) "\'")'],
    ["name eq 'a''''b'", '(eq (id name) "a\'\'b")'],
    ["name eq 'x'') or (1 eq 1'", '(eq (id name) "x\') or (1 eq 1")'],
    ["name eq 'true'", '(eq (id name) "true")'],
    ["name eq ' and '", '(eq (id name) " and ")'],
    ['name eq \'ünïcødé "q"\'', '(eq (id name) "ünïcødé \\"q\\"")'],
    // numbers
    ['a eq 0', '(eq (id a) 0)'],
    ['a eq -12', '(eq (id a) -12)'],
    ['a eq 1.5', '(eq (id a) 1.5)'],
    ['a eq -0.25', '(eq (id a) -0.25)'],
    ['a eq 1e3', '(eq (id a) 1000)'],
    ['a eq 2.5E-2', '(eq (id a) 0.025)'],
    ['a eq 5000000000', '(eq (id a) 5000000000)'],
    ['a eq 10L', '(eq (id a) 10)'],
    ['a eq 1.25M', '(eq (id a) 1.25)'],
    // booleans and null
    ['donotemail eq true', '(eq (id donotemail) true)'],
    ['donotemail eq false', '(eq (id donotemail) false)'],
    ['name eq null', '(eq (id name) null)'],
    ['name ne null', '(ne (id name) null)'],
    // GUIDs are unquoted and compared case-insensitively
    [
      '_ownerid_value eq 6f2b6a7e-1234-4abc-8def-0123456789ab',
      '(eq (id _ownerid_value) (guid 6f2b6a7e-1234-4abc-8def-0123456789ab))',
    ],
    [
      'accountid eq ABCDEF12-1234-4ABC-8DEF-0123456789AB',
      '(eq (id accountid) (guid abcdef12-1234-4abc-8def-0123456789ab))',
    ],
    [
      "_ownerid_value eq '6f2b6a7e-1234-4abc-8def-0123456789ab'",
      '(eq (id _ownerid_value) "6f2b6a7e-1234-4abc-8def-0123456789ab")',
    ],
    // dates and datetimes are unquoted
    ['createdon gt 2024-01-01', '(gt (id createdon) (date 2024-01-01))'],
    ['createdon gt 2024-01-01T10:00:00Z', '(gt (id createdon) (datetime 2024-01-01T10:00:00Z))'],
    [
      'createdon lt 2024-01-01T10:00:00.1234567Z',
      '(lt (id createdon) (datetime 2024-01-01T10:00:00.1234567Z))',
    ],
    ['createdon lt 2024-01-01T10:00:00+02:00', '(lt (id createdon) (datetime 2024-01-01T10:00:00+02:00))'],
    ['createdon lt 2024-01-01T10:00:00-05:30', '(lt (id createdon) (datetime 2024-01-01T10:00:00-05:30))'],
    ['createdon lt 2024-01-01T10:00Z', '(lt (id createdon) (datetime 2024-01-01T10:00Z))'],
    ['createdon lt 2024-02-29T00:00:00', '(lt (id createdon) (datetime 2024-02-29T00:00:00))'],
    // property paths
    ['_parentaccountid_value eq null', '(eq (id _parentaccountid_value) null)'],
    ["primarycontactid/fullname eq 'Susanna'", '(eq (id primarycontactid/fullname) "Susanna")'],
    [
      "primarycontactid/createdby/fullname eq 'System Administrator'",
      '(eq (id primarycontactid/createdby/fullname) "System Administrator")',
    ],
    // string functions
    ["contains(name,'(sample)')", '(contains (id name) "(sample)")'],
    ["startswith(name,'a')", '(startswith (id name) "a")'],
    ["endswith(name,'Inc.')", '(endswith (id name) "Inc.")'],
    ["not contains(name,'sample')", '(not (contains (id name) "sample"))'],
    ["contains( name , '100%' )", '(contains (id name) "100%")'],
    ["contains(primarycontactid/fullname,'x')", '(contains (id primarycontactid/fullname) "x")'],
    [
      "(contains(name,'sample') or contains(name,'test')) and revenue gt 5000",
      '(and (or (contains (id name) "sample") (contains (id name) "test")) (gt (id revenue) 5000))',
    ],
    // lambdas
    [
      "Account_Tasks/any(o:contains(o.subject,'x'))",
      '(any (id Account_Tasks) o (contains (id o/subject) "x"))',
    ],
    [
      "Account_Emails/any(e:contains(e/subject,'sometext'))",
      '(any (id Account_Emails) e (contains (id e/subject) "sometext"))',
    ],
    ['Account_Tasks/all(t:t/statecode eq 1)', '(all (id Account_Tasks) t (eq (id t/statecode) 1))'],
    ['Account_Tasks/any()', '(any (id Account_Tasks))'],
    ['not Account_Tasks/any()', '(not (any (id Account_Tasks)))'],
    [
      "Account_Emails/any(e:contains(e/subject,'sometext') and e/statecode eq 0)",
      '(any (id Account_Emails) e (and (contains (id e/subject) "sometext") (eq (id e/statecode) 0)))',
    ],
    [
      "(contact_customer_accounts/any(c:c/jobtitle eq 'jobtitle' and c/opportunity_customer_contacts/any(o:o/description ne 'N/A'))) and endswith(name,'Inc.')",
      '(and (any (id contact_customer_accounts) c (and (eq (id c/jobtitle) "jobtitle") (any (id c/opportunity_customer_contacts) o (ne (id o/description) "N/A")))) (endswith (id name) "Inc."))',
    ],
    [
      'Account_Tasks/any(t:t/statecode eq statecode)',
      '(any (id Account_Tasks) t (eq (id t/statecode) (id statecode)))',
    ],
    [
      'Account_Tasks/any(t:t/regardingobjectid_account_task/name eq null)',
      '(any (id Account_Tasks) t (eq (id t/regardingobjectid_account_task/name) null))',
    ],
    // Dataverse query functions, inline and with aliases
    [
      'Microsoft.Dynamics.CRM.In(PropertyName=\'lastname\',PropertyValues=["OBrian","O\'Brian"])',
      '(Microsoft.Dynamics.CRM.In (PropertyName "lastname") (PropertyValues (array "OBrian" "O\'Brian")))',
    ],
    [
      'Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)',
      '(Microsoft.Dynamics.CRM.In (PropertyName "lastname") (PropertyValues (array "OBrian" "OBryan" "O\'Brian")))',
    ],
    [
      "Microsoft.Dynamics.CRM.NotIn(PropertyName='statecode',PropertyValues=[0, 1])",
      '(Microsoft.Dynamics.CRM.NotIn (PropertyName "statecode") (PropertyValues (array 0 1)))',
    ],
    [
      "Microsoft.Dynamics.CRM.ContainValues(PropertyName='sample_outdooractivities',PropertyValues=['1','3'])",
      '(Microsoft.Dynamics.CRM.ContainValues (PropertyName "sample_outdooractivities") (PropertyValues (array "1" "3")))',
    ],
    [
      'Microsoft.Dynamics.CRM.Between(PropertyName=\'numberofemployees\',PropertyValues=["5","2000"])',
      '(Microsoft.Dynamics.CRM.Between (PropertyName "numberofemployees") (PropertyValues (array "5" "2000")))',
    ],
    [
      "Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=7)",
      '(Microsoft.Dynamics.CRM.LastXDays (PropertyName "createdon") (PropertyValue 7))',
    ],
    [
      'Microsoft.Dynamics.CRM.LastXDays(PropertyName=@p1,PropertyValue=@p3)',
      '(Microsoft.Dynamics.CRM.LastXDays (PropertyName "lastname") (PropertyValue 42))',
    ],
    [
      "Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='2024-01-01')",
      '(Microsoft.Dynamics.CRM.On (PropertyName "createdon") (PropertyValue "2024-01-01"))',
    ],
    [
      "Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='createdon',PropertyValue=2024-01-01)",
      '(Microsoft.Dynamics.CRM.OnOrAfter (PropertyName "createdon") (PropertyValue (date 2024-01-01)))',
    ],
    [
      'Microsoft.Dynamics.CRM.Next7Days(PropertyName=@p1)',
      '(Microsoft.Dynamics.CRM.Next7Days (PropertyName "lastname"))',
    ],
    [
      "Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')",
      '(Microsoft.Dynamics.CRM.EqualUserId (PropertyName "ownerid"))',
    ],
    [
      "not Microsoft.Dynamics.CRM.Today(PropertyName='createdon') and statecode eq 0",
      '(and (not (Microsoft.Dynamics.CRM.Today (PropertyName "createdon"))) (eq (id statecode) 0))',
    ],
    [
      "Account_Tasks/any(t:t/Microsoft.Dynamics.CRM.OlderThanXHours(PropertyName='createdon',PropertyValue=1))",
      '(any (id Account_Tasks) t (t/Microsoft.Dynamics.CRM.OlderThanXHours (PropertyName "createdon") (PropertyValue 1)))',
    ],
    // parameter aliases elsewhere
    ['lastname eq @name', '(eq (id lastname) "O\'Brien")'],
    ['createdon gt @when', '(gt (id createdon) (datetime 2024-01-01T00:00:00Z))'],
    ['_ownerid_value eq @id', '(eq (id _ownerid_value) (guid 6f2b6a7e-0000-4000-8000-00000000000a))'],
    // bare values parse (the compiler rejects them with a message)
    ['donotemail', '(id donotemail)'],
  ])('%s', (filter, expected) => {
    expect(toSExpression(parseFilter(filter, ALIASES))).toBe(expected);
  });

  it('accepts alias maps keyed without the @', () => {
    const node = parseFilter('name eq @p', new Map([['p', "'x'"]]));
    expect(toSExpression(node)).toBe('(eq (id name) "x")');
  });

  it('handles very long and/or chains without recursion', () => {
    const filter = Array.from({ length: 20_000 }, (_, i) => `id eq ${i}`).join(' or ');
    const sexpr = toSExpression(parseFilter(filter));
    expect(sexpr.startsWith('(or (or (or ')).toBe(true);
    expect(sexpr.endsWith('(eq (id id) 19999))')).toBe(true);
  });
});

describe('parseFilter syntax errors', () => {
  const deep = `${'('.repeat(MAX_NESTING_DEPTH + 1)}a eq 1${')'.repeat(MAX_NESTING_DEPTH + 1)}`;
  it.each([
    ["name eq 'x' or", "Syntax error at position 14 in 'name eq 'x' or'."],
    ["name eq 'x' and", "Syntax error at position 15 in 'name eq 'x' and'."],
    ['name eq', "Syntax error at position 7 in 'name eq'."],
    ['', "Syntax error at position 0 in ''."],
    ['not', "Syntax error at position 3 in 'not'."],
    ["name eq 'x')", "Syntax error at position 11 in 'name eq 'x')'."],
    ['a eq b eq c', "Syntax error at position 7 in 'a eq b eq c'."],
    ["name foo 'x'", "Syntax error at position 5 in 'name foo 'x''."],
    ["name eq 'x' xor b eq 1", "Syntax error at position 12 in 'name eq 'x' xor b eq 1'."],
    ['a eq ,', "Syntax error at position 5 in 'a eq ,'."],
    ["contains(name,'x') eq true", "Syntax error at position 19 in 'contains(name,'x') eq true'."],
    ['a eq 5x', "Syntax error at position 6 in 'a eq 5x'."],
    ['a eq [1,2]', "Syntax error at position 5 in 'a eq [1,2]'."],
    ['a/ eq 1', "Syntax error at position 6 in 'a/ eq 1'."],
    ['Account_Tasks/all()', "Syntax error at position 18 in 'Account_Tasks/all()'."],
    ['Account_Tasks/any(t)', "Syntax error at position 19 in 'Account_Tasks/any(t)'."],
    [
      'Account_Tasks/any(t:t/statecode eq 1',
      "')' or operator expected at position 36 in 'Account_Tasks/any(t:t/statecode eq 1'.",
    ],
    ['Microsoft.Dynamics.CRM.lead eq 1', "Syntax error at position 0 in 'Microsoft.Dynamics.CRM.lead eq 1'."],
    ["lastname eq 'O'Bryan'", "There is an unterminated literal at position 21 in 'lastname eq 'O'Bryan''."],
    ["name eq 'x", "There is an unterminated literal at position 10 in 'name eq 'x'."],
    ["(name eq 'x'", "')' or operator expected at position 12 in '(name eq 'x''."],
    ['((a eq 1) or b eq 2', "')' or operator expected at position 19 in '((a eq 1) or b eq 2'."],
    ["contains(name 'x')", "')' or ',' expected at position 14 in 'contains(name 'x')'."],
    ['name eq "x"', "Syntax error: character '\"' is not valid at position 8 in 'name eq \"x\"'."],
    ['a eq 1 && b eq 2', "Syntax error: character '&' is not valid at position 7 in 'a eq 1 && b eq 2'."],
    ['$it/name eq 1', "Syntax error: character '$' is not valid at position 0 in '$it/name eq 1'."],
    ['a eq -b', "Syntax error: character '-' is not valid at position 5 in 'a eq -b'."],
    [
      'createdon gt 2024-13-01',
      "Unrecognized 'Edm.Date' literal '2024-13-01' at '13' in 'createdon gt 2024-13-01'.",
    ],
    [
      'createdon gt 2023-02-29',
      "Unrecognized 'Edm.Date' literal '2023-02-29' at '13' in 'createdon gt 2023-02-29'.",
    ],
    [
      'createdon gt 2024-01-01T25:00:00Z',
      "Unrecognized 'Edm.DateTimeOffset' literal '2024-01-01T25:00:00Z' at '13' in 'createdon gt 2024-01-01T25:00:00Z'.",
    ],
    [
      'createdon gt 2024-01-01Tx',
      "Unrecognized 'Edm.Date' literal '2024-01-01Tx' at '13' in 'createdon gt 2024-01-01Tx'.",
    ],
    [
      "tolower(name) eq 'x'",
      "The 'tolower' function is not supported by Dataverse in $filter. Dataverse string comparisons are already case-insensitive, so compare the column directly.",
    ],
    [
      "contains(toupper(name),'X')",
      "The 'toupper' function is not supported by Dataverse in $filter. Dataverse string comparisons are already case-insensitive, so compare the column directly.",
    ],
    ['year(createdon) eq 2024', "The 'year' function is not supported by Dataverse in $filter."],
    [
      'foo(name)',
      "An unknown function with name 'foo' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.",
    ],
    [
      "Microsoft.Dynamics.CRM.Foo(PropertyName='x')",
      "An unknown function with name 'Microsoft.Dynamics.CRM.Foo' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.",
    ],
    [
      "Microsoft.Dynamics.CRM.NotOn(PropertyName='createdon',PropertyValue='2024-01-01')",
      "An unknown function with name 'Microsoft.Dynamics.CRM.NotOn' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.",
    ],
    [
      'In(PropertyName=\'lastname\',PropertyValues=["a"])',
      "An unknown function with name 'In' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.",
    ],
    [
      "Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon')",
      "The function 'Microsoft.Dynamics.CRM.LastXDays' takes the parameters (PropertyName, PropertyValue) but was given (PropertyName).",
    ],
    [
      "Microsoft.Dynamics.CRM.Today(PropertyName='createdon',PropertyValue=1)",
      "The function 'Microsoft.Dynamics.CRM.Today' takes the parameters (PropertyName) but was given (PropertyName, PropertyValue).",
    ],
    [
      "Microsoft.Dynamics.CRM.Today(PropertyName='a',PropertyName='b')",
      "The parameter 'PropertyName' is specified more than once for the function 'Microsoft.Dynamics.CRM.Today'.",
    ],
    [
      "Microsoft.Dynamics.CRM.In(PropertyName='lastname',PropertyValues=['OBrian','O'Brian'])",
      "Invalid JSON. A comma character ',' was expected in scope 'Array'. Every two elements in an array and properties of an object must be separated by commas.",
    ],
    [
      'Microsoft.Dynamics.CRM.In(PropertyName=\'lastname\',PropertyValues=["a"',
      "There is an unterminated literal at position 69 in 'Microsoft.Dynamics.CRM.In(PropertyName='lastname',PropertyValues=[\"a\"'.",
    ],
    [
      "Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=[{}])",
      "Invalid JSON. Unexpected character '{' at position 59 in 'Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=[{}])'.",
    ],
    ['name eq @missing', "The parameter alias '@missing' is used in $filter but has no value in the query."],
    ['name eq @bad', "The value of the parameter alias '@bad' is not a valid literal: name eq 1"],
    ['revenue add 5 eq 10', "The 'add' operator is not supported by Dataverse in $filter."],
    ['statecode in (0,1)', "The 'in' operator is not supported by Dataverse in $filter."],
    [
      'contains(name)',
      "No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true).",
    ],
    [
      "Account_Tasks/any(t:t eq 'x')",
      "The range variable 't' must be followed by a property, as in 't/name'.",
    ],
    [deep, 'Recursion depth exceeded allowed limit.'],
    [`${'not '.repeat(MAX_NESTING_DEPTH + 1)}a eq 1`, 'Recursion depth exceeded allowed limit.'],
  ])('%s', (filter, message) => {
    const aliases = new Map([['@bad', 'name eq 1']]);
    let thrown: unknown;
    try {
      parseFilter(filter, aliases);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FilterError);
    expect((thrown as FilterError).message).toBe(message);
  });

  it('accepts nesting up to the limit', () => {
    const depth = MAX_NESTING_DEPTH - 1;
    const filter = `${'('.repeat(depth)}a eq 1${')'.repeat(depth)}`;
    expect(toSExpression(parseFilter(filter))).toBe('(eq (id a) 1)');
  });
});

/** Deterministic PRNG so a failing fuzz case can be reproduced from the seed. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  'name',
  'o',
  'o/',
  'eq',
  'ne',
  'gt',
  'and',
  'or',
  'not',
  '(',
  ')',
  ',',
  '/',
  ':',
  '=',
  "'",
  "''",
  "'x'",
  '"',
  '[',
  ']',
  '["a",1]',
  "['a']",
  '@p1',
  '@p2',
  '@nope',
  '1',
  '-1.5',
  '1e3',
  'true',
  'null',
  '2024-01-01',
  '2024-01-01T10:00:00Z',
  '6f2b6a7e-1234-4abc-8def-0123456789ab',
  'contains(',
  'startswith(',
  'tolower(',
  'any(',
  'all(',
  'x:',
  'Nav/any(t:',
  'Microsoft.Dynamics.CRM.In(',
  'PropertyName=',
  'PropertyValues=',
  'Microsoft.Dynamics.CRM.Today(',
  ' ',
  '\t',
  '%',
  '$',
];

describe('parseFilter fuzzing', () => {
  const random = mulberry32(20240515);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const aliases = new Map([
    ['@p1', "'lastname'"],
    ['@p2', '[1,2'],
  ]);

  function expectOnlyFilterErrors(text: string): void {
    try {
      toSExpression(parseFilter(text, aliases));
    } catch (error) {
      if (!(error instanceof FilterError))
        throw new Error(`non-FilterError for ${JSON.stringify(text)}: ${String(error)}`);
    }
  }

  it('never throws anything but FilterError for random characters', () => {
    const alphabet = 'abnot eqand()\'",/:=[]@-.0123456789TZ%_$\\\n{}';
    for (let i = 0; i < 5000; i++) {
      const length = Math.floor(random() * 40);
      let text = '';
      for (let j = 0; j < length; j++) text += alphabet.charAt(Math.floor(random() * alphabet.length));
      expectOnlyFilterErrors(text);
    }
  });

  it('never throws anything but FilterError for random token soup', () => {
    for (let i = 0; i < 5000; i++) {
      const count = 1 + Math.floor(random() * 25);
      const parts: string[] = [];
      for (let j = 0; j < count; j++) parts.push(pick(FRAGMENTS));
      expectOnlyFilterErrors(parts.join(random() < 0.5 ? ' ' : ''));
    }
  });

  it('rejects pathological nesting quickly instead of overflowing the stack', () => {
    for (const text of [
      '('.repeat(100_000),
      `${'not '.repeat(50_000)}a eq 1`,
      'a/'.repeat(50_000),
      "'".repeat(99_999),
    ]) {
      const started = performance.now();
      expect(() => parseFilter(text)).toThrow(FilterError);
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });
});
