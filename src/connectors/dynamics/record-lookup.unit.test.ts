import { describe, expect, it } from 'vitest';
import { lookupPaths } from './record-lookup.js';

const decode = (path: string) => decodeURIComponent(path);

describe('lookupPaths', () => {
  it('writes values as JSON strings inside an encoded In filter', () => {
    const [path] = lookupPaths({
      entitySet: 'leads',
      column: 'lastname',
      values: ["O'Brien", "x') or (1 eq 1", 'say "hi"', 'a&b=c+d%20#?/', 'back\\slash'],
      select: ['leadid', 'lastname'],
    });
    expect(path).toBe(
      '$select=leadid%2Clastname'.replace(/^/, 'leads?') +
        '&$filter=' +
        encodeURIComponent(
          'Microsoft.Dynamics.CRM.In(PropertyName=\'lastname\',PropertyValues=["O\'Brien","x\') or (1 eq 1","say \\"hi\\"","a&b=c+d%20#?/","back\\\\slash"])',
        ),
    );
    // Nothing that would end the query string or a part's request line survives unencoded.
    expect(path?.split('&$filter=')[1]).toMatch(/^[A-Za-z0-9\-_.!~*'()%]+$/);
    expect(decode(path ?? '').split('&$filter=')[0]).toBe('leads?$select=leadid,lastname');
  });

  it('drops empty and repeated values, and makes no path for none', () => {
    expect(lookupPaths({ entitySet: 'leads', column: 'lastname', values: [], select: [] })).toEqual([]);
    const paths = lookupPaths({
      entitySet: 'leads',
      column: 'lastname',
      values: ['', 'a', 'a', 'b'],
      select: [],
    });
    expect(paths.map(decode)).toEqual([
      'leads?$filter=Microsoft.Dynamics.CRM.In(PropertyName=\'lastname\',PropertyValues=["a","b"])',
    ]);
  });

  it.each([
    { values: 1000, maxValuesPerRequest: 500, maxPathLength: 32_000, paths: [500, 500] },
    { values: 1001, maxValuesPerRequest: 500, maxPathLength: 32_000, paths: [500, 500, 1] },
    { values: 10, maxValuesPerRequest: 3, maxPathLength: 32_000, paths: [3, 3, 3, 1] },
    { values: 100, maxValuesPerRequest: 500, maxPathLength: 1_000, paths: [40, 40, 20] },
  ])(
    'splits $values values by count and length → $paths',
    ({ values, maxValuesPerRequest, maxPathLength, paths }) => {
      const made = lookupPaths(
        {
          entitySet: 'leads',
          column: 'emailaddress1',
          values: Array.from({ length: values }, (_, i) => `p${String(i).padStart(4, '0')}@x.com`),
          select: ['leadid'],
        },
        { maxValuesPerRequest, maxPathLength },
      );
      expect(made.map((path) => (decode(path).match(/@x\.com/g) ?? []).length)).toEqual(paths);
      for (const path of made) expect(path.length).toBeLessThanOrEqual(maxPathLength);
    },
  );

  it('refuses a single value too long for any request', () => {
    expect(() =>
      lookupPaths(
        { entitySet: 'leads', column: 'lastname', values: ['x'.repeat(2000)], select: [] },
        { maxPathLength: 1000 },
      ),
    ).toThrow(/too long to look up/);
  });
});
