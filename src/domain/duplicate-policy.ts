/**
 * How a source decides between "update an existing CRM record" and "create a new one". Two families,
 * as the systems Leadbridge replaces offer them:
 * - a duplicate policy (seed 003): which tables to check, by which keys, what to do on a duplicate,
 *   and what to create when there is none;
 * - the organisation's active matching strategy (seed 001): named field pairs that must all match a
 *   lead, otherwise a new lead is created.
 */
export type DuplicateCheck = 'leads' | 'contacts' | 'contacts_then_leads' | 'leads_then_contacts';
export type DuplicateKeys = 'email' | 'email_then_name';
export type DuplicateAction =
  | 'update_most_recently_created'
  | 'update_most_recently_updated'
  | 'update_least_recently_created'
  | 'update_least_recently_updated'
  | 'none';
export type CreateAction = 'lead' | 'contact' | 'none';

export interface DuplicatePolicy {
  readonly check: DuplicateCheck;
  readonly keys: DuplicateKeys;
  readonly onDuplicate: DuplicateAction;
  readonly create: CreateAction;
}

export const DEFAULT_DUPLICATE_POLICY: DuplicatePolicy = {
  check: 'leads',
  keys: 'email',
  onDuplicate: 'update_most_recently_updated',
  create: 'lead',
};

/** A source uses its own policy, or the organisation's active matching strategy. */
export type DuplicateHandling =
  { readonly mode: 'policy'; readonly policy: DuplicatePolicy } | { readonly mode: 'strategy' };

/** One pair of a strategy: a source field compared with a CRM lead column. */
export interface StrategyFieldPair {
  readonly sourceField: string;
  readonly crmColumn: string;
}

export interface MatchingStrategy {
  readonly id: string;
  readonly name: string;
  readonly pairs: readonly StrategyFieldPair[];
  readonly active: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The strategy every organisation starts with (seed 001: "a matching strategy based on a lead's email address"). */
export const DEFAULT_MATCHING_STRATEGY = {
  name: 'Email address',
  pairs: [{ sourceField: 'email', crmColumn: 'emailaddress1' }],
} as const;

export interface MatchingStrategyRepository {
  list(): Promise<readonly MatchingStrategy[]>;
  /** The active one; the store creates the default on first use so there is always exactly one. */
  active(): Promise<MatchingStrategy>;
  get(id: string): Promise<MatchingStrategy | undefined>;
  create(input: { name: string; pairs: readonly StrategyFieldPair[] }): Promise<MatchingStrategy>;
  update(
    id: string,
    input: { name?: string; pairs?: readonly StrategyFieldPair[] },
  ): Promise<MatchingStrategy>;
  /** Activates this one and deactivates the other in one transaction. */
  activate(id: string): Promise<MatchingStrategy>;
  /** Refuses (`strategy_active`) to delete the active strategy. */
  delete(id: string): Promise<void>;
}
