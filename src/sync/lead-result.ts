import type { CrmTable, CrmWriteOutcome } from '../domain/index.js';
import type { PlannedLead } from './lead-sync-planner.js';

/** What became of one lead in a batch, from its plan and the CRM's answer to its write. */
export interface LeadResult {
  readonly outcome: 'created' | 'updated' | 'skipped' | 'failed';
  readonly table?: CrmTable;
  readonly recordId?: string;
  readonly decision?: string;
  readonly reason: string;
  readonly payload?: Readonly<Record<string, unknown>>;
  readonly retryable?: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

export function leadResultOf(
  planned: PlannedLead,
  outcomes: ReadonlyMap<string, CrmWriteOutcome>,
): LeadResult {
  switch (planned.kind) {
    case 'invalid':
      return {
        outcome: 'failed',
        ...(planned.table && { table: planned.table }),
        reason: planned.reason,
        retryable: false,
        error: { code: 'mapping_invalid', message: planned.reason },
      };
    case 'done':
      return {
        outcome: 'created',
        table: planned.table,
        recordId: planned.id,
        decision: `create_${planned.table}`,
        reason: planned.reason,
      };
    case 'skip':
      return {
        outcome: 'skipped',
        decision: 'skip',
        reason: planned.decision.reason,
        ...(planned.decision.table && { table: planned.decision.table }),
        ...(planned.decision.recordId && { recordId: planned.decision.recordId }),
      };
    case 'write': {
      const { decision, write } = planned;
      const outcome = outcomes.get(write.id);
      const decisionName = `${decision.action}_${write.table}`;
      if (!outcome || !outcome.ok) {
        const error =
          outcome && !outcome.ok
            ? outcome.error
            : {
                code: 'internal',
                message: 'The CRM returned no outcome for this record.',
                retryable: true,
              };
        return {
          outcome: 'failed',
          table: write.table,
          recordId: write.id,
          decision: decisionName,
          payload: write.values,
          reason: `${decision.reason} — but Dynamics 365 refused: ${error.message}`,
          retryable: error.retryable,
          error,
        };
      }
      return {
        outcome: decision.action === 'create' ? 'created' : 'updated',
        table: write.table,
        recordId: decision.recordId ?? write.id,
        decision: decisionName,
        payload: write.values,
        reason:
          outcome.alreadyExisted && decision.action === 'create'
            ? `${decision.reason} (it already existed from an earlier attempt)`
            : decision.reason,
      };
    }
  }
}
