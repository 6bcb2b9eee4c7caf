import type { DuplicateCheck } from '../domain/index.js';
import type { PersonTable } from './sync-decision.js';

const ORDER: Readonly<Record<DuplicateCheck, readonly PersonTable[]>> = {
  leads: ['lead'],
  contacts: ['contact'],
  contacts_then_leads: ['contact', 'lead'],
  leads_then_contacts: ['lead', 'contact'],
};

/** The tables a duplicate check looks in, first to last (seed 003). */
export function tablesInCheckOrder(check: DuplicateCheck): readonly PersonTable[] {
  return ORDER[check];
}
