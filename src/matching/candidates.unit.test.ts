import { describe, expect, it } from 'vitest';
import type { CrmRecord } from '../domain/index.js';
import { groupCandidates } from './candidates.js';

const record = (table: CrmRecord['table'], id: string): CrmRecord => ({
  table,
  id,
  createdOn: '2024-01-01T00:00:00Z',
  modifiedOn: '2024-01-01T00:00:00Z',
  values: {},
});

describe('groupCandidates', () => {
  it('groups by table and keeps each record once', () => {
    const id = 'ab12cd34-0000-4000-8000-000000000000';
    const lead = record('lead', id);
    const contact = record('contact', id);
    const account: CrmRecord = { ...lead, table: 'account' };
    const grouped = groupCandidates([[lead, contact], [{ ...lead, id: lead.id.toUpperCase() }], [account]]);
    expect(grouped.lead).toEqual([lead]);
    expect(grouped.contact).toEqual([contact]);
    expect(Object.keys(grouped).sort()).toEqual(['contact', 'lead']);
  });
});
