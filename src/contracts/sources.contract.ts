import { z } from 'zod';
import {
  crmTableSchema,
  duplicateHandlingSchema,
  fieldMappingSchema,
  fieldRulesSchema,
  sourceFieldsSchema,
  sourceMappingsSchema,
} from './lead-source-shape.js';

/** Lead sources: where leads come from, how they map to CRM columns and how duplicates are handled. */

// The parts' shape is shared with the store; it stays importable from here as before.
export {
  columnMappingSchema,
  crmTableSchema,
  duplicateHandlingSchema,
  duplicatePolicySchema,
  fieldMappingSchema,
  fieldRulesSchema,
  mappingTransformSchema,
  sourceFieldSchema,
  sourceFieldsSchema,
  sourceMappingsSchema,
} from './lead-source-shape.js';

export const sourceKindSchema = z.enum(['api', 'form', 'csv', 'partner', 'linkedin', 'workspace']);
const guid = z.guid('Use the record GUID (8-4-4-4-12 hex digits).');

export const sourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: sourceKindSchema,
  connectionId: z.string().optional(),
  fields: sourceFieldsSchema,
  mappings: sourceMappingsSchema,
  duplicates: duplicateHandlingSchema,
  ownerSystemUserId: z.string().optional(),
  campaignId: z.string().optional(),
  marketingListId: z.string().optional(),
  fieldRules: fieldRulesSchema.optional(),
  syncIntervalMinutes: z.number().int(),
  enabled: z.boolean(),
  formUrl: z.string().optional(),
  leadCounts: z.record(z.string(), z.number().int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const createSourceRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: sourceKindSchema,
  connectionId: z.string().min(1).max(64).optional(),
  fields: sourceFieldsSchema.optional(),
  mappings: sourceMappingsSchema.optional(),
  duplicates: duplicateHandlingSchema.optional(),
  ownerSystemUserId: guid.optional(),
  campaignId: guid.optional(),
  marketingListId: guid.optional(),
  fieldRules: fieldRulesSchema
    .optional()
    .describe(
      'Two-way sync: per CRM column, who wins when the record is changed in Dynamics 365 (default crm).',
    ),
  syncIntervalMinutes: z.number().int().min(1).max(1440).default(5),
  enabled: z.boolean().default(true),
});

export const updateSourceRequestSchema = createSourceRequestSchema
  .omit({ kind: true, syncIntervalMinutes: true, enabled: true })
  .partial()
  .extend({
    syncIntervalMinutes: z.number().int().min(1).max(1440).optional(),
    enabled: z.boolean().optional(),
    ownerSystemUserId: guid.nullable().optional(),
    campaignId: guid.nullable().optional(),
    marketingListId: guid.nullable().optional(),
  });

export const sourceListSchema = z.object({ sources: z.array(sourceSchema) });

export const mappingProblemSchema = z.object({ column: z.string(), message: z.string() });

export const mappingPreviewRequestSchema = z.strictObject({
  mapping: fieldMappingSchema,
  samples: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))).max(20),
});

export const mappingPreviewSchema = z.object({
  problems: z.array(mappingProblemSchema),
  samples: z.array(
    z.object({
      record: z.record(z.string(), z.unknown()).optional(),
      errors: z.array(z.object({ column: z.string(), message: z.string() })).optional(),
    }),
  ),
});

export const crmColumnsSchema = z.object({
  table: crmTableSchema,
  columns: z.array(
    z.object({
      logicalName: z.string(),
      displayName: z.string().optional(),
      type: z.string(),
      requiredLevel: z.string(),
      maxLength: z.number().int().optional(),
      options: z.array(z.object({ value: z.number().int(), label: z.string() })).optional(),
    }),
  ),
});

export const sourceApiKeySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});
export const issuedSourceApiKeySchema = sourceApiKeySchema.extend({
  key: z.string().describe('Shown once; send it as `Authorization: Bearer <key>`.'),
});
export const sourceApiKeyListSchema = z.object({ keys: z.array(sourceApiKeySchema) });

export type Source = z.infer<typeof sourceSchema>;
export type CreateSourceRequest = z.infer<typeof createSourceRequestSchema>;
export type UpdateSourceRequest = z.infer<typeof updateSourceRequestSchema>;
export type MappingPreviewRequest = z.infer<typeof mappingPreviewRequestSchema>;
export type MappingPreview = z.infer<typeof mappingPreviewSchema>;
export type CrmColumns = z.infer<typeof crmColumnsSchema>;
export type SourceApiKeyInfo = z.infer<typeof sourceApiKeySchema>;
export type IssuedSourceApiKeyInfo = z.infer<typeof issuedSourceApiKeySchema>;
