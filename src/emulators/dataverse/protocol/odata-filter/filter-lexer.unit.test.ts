import { describe, expect, it } from 'vitest';

import { tokenize } from './filter-lexer.js';

function describeTokens(text: string): string {
  return tokenize(text)
    .map((token) =>
      token.kind === 'literal' ? `${token.literal?.type}:${token.text}` : `${token.kind}:${token.text}`,
    )
    .join(' ');
}

describe('tokenize', () => {
  it.each([
    ["name eq 'x'", "identifier:name identifier:eq string:'x' end:"],
    ["a eq 'it''s'", "identifier:a identifier:eq string:'it''s' end:"],
    ['a/b eq 1.5', 'identifier:a slash:/ identifier:b identifier:eq number:1.5 end:'],
    ['x eq -3', 'identifier:x identifier:eq number:-3 end:'],
    ['x eq 1e-3', 'identifier:x identifier:eq number:1e-3 end:'],
    ['x eq 12L', 'identifier:x identifier:eq number:12L end:'],
    // GUIDs may begin with digits or letters and must win over numbers, dates and identifiers
    [
      'x eq deadbeef-0000-4000-8000-000000000000',
      'identifier:x identifier:eq guid:deadbeef-0000-4000-8000-000000000000 end:',
    ],
    [
      'x eq 20240101-0000-4000-8000-000000000000',
      'identifier:x identifier:eq guid:20240101-0000-4000-8000-000000000000 end:',
    ],
    ['x eq 2024-01-01', 'identifier:x identifier:eq date:2024-01-01 end:'],
    [
      'x eq 2024-01-01T00:00:00.5+01:00',
      'identifier:x identifier:eq datetime:2024-01-01T00:00:00.5+01:00 end:',
    ],
    [
      'x eq true and y eq null',
      'identifier:x identifier:eq boolean:true identifier:and identifier:y identifier:eq null:null end:',
    ],
    [
      'Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=["a", 2])',
      'identifier:Microsoft.Dynamics.CRM.In openParen:( identifier:PropertyName equals:= alias:@p1 comma:, identifier:PropertyValues equals:= array:["a", 2] closeParen:) end:',
    ],
    [
      'T/any(t:t/x eq 1)',
      'identifier:T slash:/ identifier:any openParen:( identifier:t colon:: identifier:t slash:/ identifier:x identifier:eq number:1 closeParen:) end:',
    ],
  ])('%s', (text, expected) => {
    expect(describeTokens(text)).toBe(expected);
  });

  it('reads array items with JSON escapes and either quote style', () => {
    const [token] = tokenize(`["a\\"b", 'c\\'d', 1.5, -2, true, null, "\\u00e9"]`);
    expect(token?.literal).toEqual({ type: 'array', items: ['a"b', "c'd", 1.5, -2, true, null, 'é'] });
  });

  it('unescapes doubled quotes and keeps positions of the raw text', () => {
    const tokens = tokenize("  a eq 'O''Brien'");
    expect(tokens.map((t) => t.position)).toEqual([2, 4, 7, 17]);
    expect(tokens[2]?.literal).toEqual({ type: 'string', value: "O'Brien" });
  });
});
