import { describe, expect, it } from 'vitest';
import { DataverseError } from '../errors.js';
import { matchesFilter, parseMetadataFilter, type FilterNode } from './metadata-filter.js';

/** S-expression dump of the tree, so the cases read as what the parser understood. */
function dump(node: FilterNode): string {
  if (node.kind === 'compare')
    return `(${node.operator} ${node.path.join('/')} ${JSON.stringify(node.value)})`;
  if (node.kind === 'not') return `(not ${dump(node.operand)})`;
  return `(${node.kind} ${dump(node.left)} ${dump(node.right)})`;
}

describe('parseMetadataFilter', () => {
  it.each([
    ["LogicalName eq 'lead'", '(eq LogicalName "lead")'],
    ['ChangeTrackingEnabled eq true', '(eq ChangeTrackingEnabled true)'],
    ["OwnershipType eq Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'", '(eq OwnershipType "UserOwned")'],
    ['CanCreateAttributes/Value eq true', '(eq CanCreateAttributes/Value true)'],
    ["a eq 'x' or b eq 'y' and c ne 1", '(or (eq a "x") (and (eq b "y") (ne c 1)))'],
    ["not (a eq 'it''s')", '(not (eq a "it\'s"))'],
    ['ObjectTypeCode ge 4 and ObjectTypeCode lt 10', '(and (ge ObjectTypeCode 4) (lt ObjectTypeCode 10))'],
    [
      'MetadataId eq 70816501-edb9-4740-a16c-6a5efbc05d84',
      '(eq MetadataId "70816501-edb9-4740-a16c-6a5efbc05d84")',
    ],
    ['Description eq null', '(eq Description null)'],
  ])('%s', (text, tree) => {
    expect(dump(parseMetadataFilter(text))).toBe(tree);
  });

  it.each([
    "LogicalName eq 'lead",
    'LogicalName eq',
    'LogicalName has 1',
    "contains(LogicalName,'x')",
    "(a eq 'x'",
  ])('rejects %s', (text) => {
    expect(() => parseMetadataFilter(text)).toThrow(DataverseError);
  });

  it('evaluates against a metadata item, comparing names case-insensitively', () => {
    const item = { LogicalName: 'lead', ObjectTypeCode: 4, CanCreateAttributes: { Value: true } };
    expect(matchesFilter(parseMetadataFilter("LogicalName eq 'Lead'"), item)).toBe(true);
    expect(matchesFilter(parseMetadataFilter('ObjectTypeCode gt 4'), item)).toBe(false);
    expect(
      matchesFilter(
        parseMetadataFilter('CanCreateAttributes/Value eq true and not (ObjectTypeCode eq 1)'),
        item,
      ),
    ).toBe(true);
  });
});
