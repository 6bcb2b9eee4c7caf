import type { PersonTable } from './sync-decision.js';

/** Enough of a GUID to find the record in a list, short enough to read: "3f2a1b4c…". */
export function shortId(id: string): string {
  return id.length > 9 ? `${id.slice(0, 8)}…` : id;
}

export function tableNoun(table: PersonTable, count = 1): string {
  return count === 1 ? table : `${table}s`;
}

/** "a", "a or b", "a, b or c". */
export function joinWords(words: readonly string[], conjunction: 'and' | 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1) ?? ''}`;
}

/** A quoted value for a sentence, e.g. the name as the lead spelled it. */
export function quoted(value: string): string {
  return `'${value}'`;
}
