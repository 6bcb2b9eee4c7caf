import type { CrmRecord, MatchingStrategy } from '../domain/index.js';
import { distinctRecords } from './candidates.js';
import type { MatchSubject } from './match-subject.js';
import { joinWords, shortId } from './reason-text.js';
import { compareBy } from './record-ordering.js';
import { pairMatches, sourcePairValue, type SourcePairValue } from './strategy-pair.js';
import type { SyncDecision } from './sync-decision.js';

/** What matching needs of a strategy; a stored `MatchingStrategy` or `DEFAULT_MATCHING_STRATEGY`. */
export type StrategyRule = Pick<MatchingStrategy, 'name' | 'pairs'>;

export interface StrategyOptions {
  /** ISO 3166 alpha-2 country for phone numbers written without a country code, e.g. `DE`. */
  readonly defaultCountry?: string | undefined;
}

const newestFirst = compareBy('update_most_recently_updated');

/**
 * Decides one lead under the organisation's matching strategy (seed 001): a lead matches when every
 * pair matches; otherwise a new lead is created. Strategies only ever look at leads. Among several
 * matching leads the most recently modified is updated: the seed does not say, and the lead someone
 * worked on last is the one a person would expect the new answers on.
 */
export function decideByStrategy(
  strategy: StrategyRule,
  subject: MatchSubject,
  leadCandidates: readonly CrmRecord[],
  options: StrategyOptions = {},
): SyncDecision {
  const named = `the strategy '${strategy.name}'`;
  // Every pair of an empty list "matches" any lead; a strategy nobody finished must not update
  // whichever lead happens to come first.
  if (strategy.pairs.length === 0)
    return create(`${named} has no field pairs, so no existing lead can match`);

  const { defaultCountry } = options;
  const sources = strategy.pairs.map((pair) => sourcePairValue(pair, subject.sourceValues, defaultCountry));
  const labels = pairLabels(sources);
  const allLabels = joinWords(labels, 'and');

  const empty = sources.flatMap((source, i) =>
    source.value === undefined ? [describeEmpty(source, labels[i])] : [],
  );
  if (empty.length > 0)
    return create(
      `it has ${joinWords(empty, 'and')}, and ${named} needs ${allLabels} to match an existing lead (an empty value matches nothing)`,
    );

  const leads = distinctRecords(leadCandidates.filter((record) => record.table === 'lead'));
  const scored = leads.map((record) => ({
    record,
    matched: sources.map((source) => pairMatches(source, record, defaultCountry)),
  }));

  const full = scored
    .filter((s) => s.matched.every(Boolean))
    .map((s) => s.record)
    .sort(newestFirst);
  const chosen = full[0];
  if (chosen) {
    const which =
      full.length === 1
        ? `it matches ${named} on ${allLabels}`
        : `the most recently modified of ${full.length} leads that match ${named} on ${allLabels}`;
    return {
      action: 'update',
      table: 'lead',
      recordId: chosen.id,
      matchedBy: 'strategy',
      candidates: full.length,
      reason: `Updated lead ${shortId(chosen.id)} — ${which}.`,
    };
  }

  const best = scored
    .map((s) => ({ ...s, count: s.matched.filter(Boolean).length }))
    .filter((s) => s.count > 0)
    .sort((a, b) => b.count - a.count || newestFirst(a.record, b.record))[0];
  if (best) {
    const matched = labels.filter((_, i) => best.matched[i]);
    const failed = labels.filter((_, i) => !best.matched[i]);
    const needs = labels.length === 2 ? 'both' : `all ${labels.length}`;
    return create(
      `lead ${shortId(best.record.id)} matched ${joinWords(matched, 'and')} but not ${joinWords(failed, 'or')}; ${named} needs ${needs}`,
    );
  }
  const values = sources.map((source, i) => `${labels[i] ?? ''} ${source.text ?? ''}`);
  return create(`no lead matches ${named} (${joinWords(values, 'and')})`);
}

function create(why: string): SyncDecision {
  return { action: 'create', table: 'lead', candidates: 0, reason: `Created a lead: ${why}.` };
}

/** Pairs are named by their source field; by source and column when two pairs share a source field. */
function pairLabels(sources: readonly SourcePairValue[]): string[] {
  const counts = new Map<string, number>();
  for (const { pair } of sources) counts.set(pair.sourceField, (counts.get(pair.sourceField) ?? 0) + 1);
  return sources.map(({ pair }) =>
    (counts.get(pair.sourceField) ?? 0) > 1 ? `${pair.sourceField} (${pair.crmColumn})` : pair.sourceField,
  );
}

function describeEmpty(source: SourcePairValue, label: string | undefined): string {
  return source.text === undefined ? `no ${label ?? ''}` : `no valid ${label ?? ''} ('${source.text}')`;
}
