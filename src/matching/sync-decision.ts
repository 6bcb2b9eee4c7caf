import type { CrmTable } from '../domain/index.js';

/** The tables a lead can end up in; accounts are never the person a lead is about. */
export type PersonTable = Extract<CrmTable, 'lead' | 'contact'>;

export type MatchedBy = 'email' | 'name' | 'strategy';

/**
 * What to do with one incoming lead, and why in words for the sync log. A union so that the sync
 * engine gets a `recordId` only where one exists; the flat fields read the same on every member.
 */
export type SyncDecision = CreateDecision | UpdateDecision | SkipDecision;

export interface CreateDecision {
  readonly action: 'create';
  readonly table: PersonTable;
  readonly recordId?: undefined;
  readonly matchedBy?: undefined;
  /** Records that matched: always 0 here. */
  readonly candidates: number;
  readonly reason: string;
}

export interface UpdateDecision {
  readonly action: 'update';
  readonly table: PersonTable;
  readonly recordId: string;
  readonly matchedBy: MatchedBy;
  /** How many records matched; the chosen one is among them. */
  readonly candidates: number;
  readonly reason: string;
}

/**
 * Nothing is written. When a duplicate caused the skip, `table` and `recordId` name it (the most
 * recently modified, if several) so the log can link to the record that already holds the person.
 */
export interface SkipDecision {
  readonly action: 'skip';
  readonly table?: PersonTable | undefined;
  readonly recordId?: string | undefined;
  readonly matchedBy?: MatchedBy | undefined;
  readonly candidates: number;
  readonly reason: string;
}
