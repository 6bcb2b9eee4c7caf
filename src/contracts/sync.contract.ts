import { z } from 'zod';
import { crmTableSchema } from './sources.contract.js';

/** Capture answers, the sync log, replays, dry runs and matching strategies. */

export const captureResponseSchema = z.object({
  leads: z.array(z.object({ id: z.string(), duplicate: z.boolean() })),
});

export const csvImportResultSchema = z.object({
  rows: z.number().int(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  failed: z.number().int(),
  /** The first rows that failed (row numbers as a spreadsheet shows them; the header is row 1). */
  errors: z.array(z.object({ row: z.number().int(), errors: z.array(z.string()) })),
});

export const syncOutcomeSchema = z.enum(['created', 'updated', 'skipped', 'failed']);

export const syncLogEntrySchema = z.object({
  id: z.string(),
  leadId: z.string(),
  sourceId: z.string(),
  connectionId: z.string(),
  attempt: z.number().int(),
  outcome: syncOutcomeSchema,
  table: crmTableSchema.optional(),
  recordId: z.string().optional(),
  recordUrl: z.string().optional(),
  decision: z.string().optional(),
  reason: z.string(),
  payload: z.record(z.string(), z.unknown()).optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  retryable: z.boolean().optional(),
  at: z.string(),
});

export const syncLogQuerySchema = z.strictObject({
  sourceId: z.string().max(64).optional(),
  leadId: z.string().max(64).optional(),
  outcome: syncOutcomeSchema.optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  text: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  after: z.string().max(500).optional(),
});

export const syncLogPageSchema = z.object({
  entries: z.array(syncLogEntrySchema),
  next: z.string().optional(),
});

export const replayRequestSchema = z.union([
  z.strictObject({ leadIds: z.array(z.string().min(1).max(64)).min(1).max(10_000) }),
  z.strictObject({ sourceId: z.string().min(1).max(64), failed: z.literal(true) }),
]);
export const replayResponseSchema = z.object({ requeued: z.number().int() });

export const syncStatusSchema = z.object({
  jobs: z.record(z.string(), z.number().int()),
  leads: z.record(z.string(), z.number().int()),
  connections: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      status: z.string(),
      statusReason: z.string().optional(),
      throttledUntil: z.string().optional(),
      requestsToday: z.number().int(),
    }),
  ),
});

export const dryRunRequestSchema = z.union([
  z.strictObject({
    sourceId: z.string().min(1).max(64),
    leadIds: z.array(z.string().min(1).max(64)).max(1_000).optional(),
  }),
  z.strictObject({
    sourceId: z.string().min(1).max(64),
    leads: z
      .array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])))
      .min(1)
      .max(1_000),
  }),
]);

export const dryRunResultSchema = z.object({
  summary: z.record(z.string(), z.number().int()),
  leads: z.array(
    z.object({
      ref: z.string(),
      action: z.enum(['create', 'update', 'skip', 'fail']),
      table: crmTableSchema.optional(),
      recordId: z.string().optional(),
      reason: z.string(),
      payload: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  /** Look-up queries sent to Dynamics 365 (together, in `$batch` requests); nothing is written. */
  lookups: z.number().int(),
});

export const strategyPairSchema = z.strictObject({
  sourceField: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/),
  crmColumn: z.string().regex(/^[a-z_][a-z0-9_]{0,99}$/),
});

export const strategySchema = z.object({
  id: z.string(),
  name: z.string(),
  pairs: z.array(strategyPairSchema),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const strategyListSchema = z.object({ strategies: z.array(strategySchema) });
export const createStrategyRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  pairs: z.array(strategyPairSchema).min(1).max(20),
});
export const updateStrategyRequestSchema = createStrategyRequestSchema.partial();

export type CaptureResponse = z.infer<typeof captureResponseSchema>;
export type CsvImportResult = z.infer<typeof csvImportResultSchema>;
export type SyncLogEntryView = z.infer<typeof syncLogEntrySchema>;
export type SyncLogQuery = z.infer<typeof syncLogQuerySchema>;
export type SyncLogPage = z.infer<typeof syncLogPageSchema>;
export type ReplayRequest = z.infer<typeof replayRequestSchema>;
export type SyncStatus = z.infer<typeof syncStatusSchema>;
export type DryRunRequest = z.infer<typeof dryRunRequestSchema>;
export type DryRunResult = z.infer<typeof dryRunResultSchema>;
export type Strategy = z.infer<typeof strategySchema>;
export type CreateStrategyRequest = z.infer<typeof createStrategyRequestSchema>;
export type UpdateStrategyRequest = z.infer<typeof updateStrategyRequestSchema>;
