import type { SyncDecision } from './sync-decision.js';

/**
 * Decisions explain themselves in the past tense, as the sync log tells what happened ("Updated lead
 * 3f2a1b4c… — …"). A dry run tells what would happen with the same explanation. Every reason this
 * module's deciders write opens with its action's verb (the table tests assert it), so the verb is
 * all that changes.
 */
const VERBS: Readonly<Record<SyncDecision['action'], readonly [past: string, planned: string]>> = {
  create: ['Created ', 'Would create '],
  update: ['Updated ', 'Would update '],
  skip: ['Skipped: ', 'Would skip: '],
};

export function plannedReason(decision: Pick<SyncDecision, 'action' | 'reason'>): string {
  const [past, planned] = VERBS[decision.action];
  return decision.reason.startsWith(past)
    ? planned + decision.reason.slice(past.length)
    : `${planned.trimEnd().replace(/:$/, '')}: ${decision.reason}`;
}
