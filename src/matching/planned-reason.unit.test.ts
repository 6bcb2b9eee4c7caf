import { describe, expect, it } from 'vitest';
import { plannedReason } from './planned-reason.js';

describe('plannedReason: the dry run tells what would happen, with the decision’s own explanation', () => {
  it.each([
    [
      'create',
      "Created a lead: no lead matches the strategy 'Email address' (email new@x.com).",
      "Would create a lead: no lead matches the strategy 'Email address' (email new@x.com).",
    ],
    [
      'update',
      'Updated contact 3f2a1b4c… — the only contact with email ana@x.com.',
      'Would update contact 3f2a1b4c… — the only contact with email ana@x.com.',
    ],
    [
      'skip',
      'Skipped: no lead has email ana@x.com, and the policy creates no new record.',
      'Would skip: no lead has email ana@x.com, and the policy creates no new record.',
    ],
    // A reason from elsewhere (never written by the deciders) keeps its words behind the verb.
    [
      'skip',
      'Created lead 3f2a… in an earlier attempt.',
      'Would skip: Created lead 3f2a… in an earlier attempt.',
    ],
  ] as const)('%s: %s', (action, reason, expected) => {
    expect(plannedReason({ action, reason })).toBe(expected);
  });
});
