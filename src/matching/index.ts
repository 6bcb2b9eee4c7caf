/** Pure decision code of the lead sync: normalise, plan lookups, decide create / update / skip. */
export { groupCandidates, type CandidatesByTable } from './candidates.js';
export { tablesInCheckOrder } from './duplicate-check-order.js';
export { decideByPolicy } from './duplicate-policy-decision.js';
export {
  DEFAULT_MAX_VALUES_PER_QUERY,
  planLookups,
  planPolicyLookups,
  planStrategyLookups,
  type LookupPlanOptions,
  type MatchRule,
} from './lookup-plan.js';
export {
  EMAIL_COLUMN,
  FIRST_NAME_COLUMN,
  LAST_NAME_COLUMN,
  matchSubjectFrom,
  PERSON_COLUMNS,
  type MatchSubject,
} from './match-subject.js';
export {
  isPlausibleEmail,
  normalizeEmail,
  normalizeName,
  normalizePhone,
  type EmailNormalizeOptions,
} from './normalize.js';
export { plannedReason } from './planned-reason.js';
export { decideByStrategy, type StrategyOptions, type StrategyRule } from './strategy-decision.js';
export type {
  CreateDecision,
  MatchedBy,
  PersonTable,
  SkipDecision,
  SyncDecision,
  UpdateDecision,
} from './sync-decision.js';
