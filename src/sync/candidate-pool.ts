import type { CrmRecord } from '../domain/index.js';
import {
  EMAIL_COLUMN,
  FIRST_NAME_COLUMN,
  LAST_NAME_COLUMN,
  normalizeEmail,
  normalizeName,
  type CandidatesByTable,
  type MatchSubject,
} from '../matching/index.js';

/**
 * The CRM records a batch knows of (found by its look-ups, or created earlier in the batch), indexed
 * by normalised email and name. Each lead's policy decision gets only the records sharing its email
 * or name: the decision filters the same way, so the outcome is unchanged, but a batch of n leads
 * costs O(n) instead of comparing every lead with every record. Strategies compare other columns and
 * get the whole list (kept as one array until a record is added).
 */
export class CandidatePool {
  private readonly byId = new Map<string, CrmRecord>();
  private readonly byKey = new Map<string, CrmRecord[]>();
  private leadList: CrmRecord[] | undefined;

  add(record: CrmRecord): void {
    if (record.table !== 'lead' && record.table !== 'contact') return;
    const id = record.id.toLowerCase();
    if (this.byId.has(id)) return;
    this.byId.set(id, record);
    for (const key of keysOf(
      record.values[EMAIL_COLUMN],
      record.values[FIRST_NAME_COLUMN],
      record.values[LAST_NAME_COLUMN],
    )) {
      const records = this.byKey.get(key);
      if (records) records.push(record);
      else this.byKey.set(key, [record]);
    }
    if (record.table === 'lead') this.leadList = undefined;
  }

  get(id: string): CrmRecord | undefined {
    return this.byId.get(id.toLowerCase());
  }

  forSubject(subject: MatchSubject): CandidatesByTable {
    const found = new Set<CrmRecord>();
    for (const key of keysOf(subject.email, subject.firstName, subject.lastName))
      for (const record of this.byKey.get(key) ?? []) found.add(record);
    const records = [...found];
    return {
      lead: records.filter((record) => record.table === 'lead'),
      contact: records.filter((record) => record.table === 'contact'),
    };
  }

  leads(): readonly CrmRecord[] {
    this.leadList ??= [...this.byId.values()].filter((record) => record.table === 'lead');
    return this.leadList;
  }
}

function keysOf(email: unknown, firstName: unknown, lastName: unknown): string[] {
  const keys: string[] = [];
  const mail = normalizeEmail(email);
  if (mail !== undefined) keys.push(`e:${mail}`);
  const first = normalizeName(firstName);
  const last = normalizeName(lastName);
  if (first !== undefined && last !== undefined) keys.push(`n:${first}\u0000${last}`);
  return keys;
}
