import { z } from 'zod';

/** Lead sources: where leads come from, how they map to CRM columns and how duplicates are handled. */

export const sourceKindSchema = z.enum(['api', 'form', 'csv', 'partner', 'linkedin', 'workspace']);
export const crmTableSchema = z.enum(['lead', 'contact', 'account']);

const fieldName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
    'Use letters, digits, "_", "." or "-", starting with a letter (≤ 64).',
  );

export const sourceFieldSchema = z.strictObject({
  name: fieldName,
  label: z.string().trim().min(1).max(200),
  type: z.enum(['text', 'email', 'phone', 'textarea', 'select', 'checkbox', 'number']),
  required: z.boolean().default(false),
  maxLength: z.number().int().min(1).max(100_000).optional(),
  options: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
});

export const mappingTransformSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('trim') }),
  z.strictObject({ kind: z.literal('case'), to: z.enum(['upper', 'lower', 'title']) }),
  z.strictObject({ kind: z.literal('split_full_name'), part: z.enum(['first', 'last']) }),
  z.strictObject({
    kind: z.literal('phone_e164'),
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'Use a two-letter ISO country code, e.g. DE.')
      .optional(),
  }),
  z.strictObject({ kind: z.literal('country'), to: z.enum(['name', 'iso2', 'iso3']) }),
]);

export const columnMappingSchema = z.strictObject({
  column: z.string().regex(/^[a-z_][a-z0-9_]{0,99}$/, 'Use the CRM column logical name, e.g. emailaddress1.'),
  value: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('field'), field: fieldName }),
    z.strictObject({
      kind: z.literal('constant'),
      value: z.union([z.string().max(10_000), z.number(), z.boolean()]),
    }),
  ]),
  transforms: z.array(mappingTransformSchema).max(10).optional(),
  choiceBy: z.enum(['label', 'value']).optional(),
});

export const fieldMappingSchema = z.strictObject({
  table: crmTableSchema,
  columns: z.array(columnMappingSchema).max(200),
});

export const sourceMappingsSchema = z.strictObject({
  lead: fieldMappingSchema.optional(),
  contact: fieldMappingSchema.optional(),
  account: fieldMappingSchema.optional(),
});

export const duplicatePolicySchema = z.strictObject({
  check: z.enum(['leads', 'contacts', 'contacts_then_leads', 'leads_then_contacts']),
  keys: z.enum(['email', 'email_then_name']),
  onDuplicate: z.enum([
    'update_most_recently_created',
    'update_most_recently_updated',
    'update_least_recently_created',
    'update_least_recently_updated',
    'none',
  ]),
  create: z.enum(['lead', 'contact', 'none']),
});

export const duplicateHandlingSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('policy'), policy: duplicatePolicySchema }),
  z.strictObject({ mode: z.literal('strategy') }),
]);

const guid = z.guid('Use the record GUID (8-4-4-4-12 hex digits).');

export const sourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: sourceKindSchema,
  connectionId: z.string().optional(),
  fields: z.array(sourceFieldSchema),
  mappings: sourceMappingsSchema,
  duplicates: duplicateHandlingSchema,
  ownerSystemUserId: z.string().optional(),
  campaignId: z.string().optional(),
  marketingListId: z.string().optional(),
  fieldRules: z.record(z.string(), z.enum(['crm', 'leadbridge'])).optional(),
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
  fields: z.array(sourceFieldSchema).max(100).optional(),
  mappings: sourceMappingsSchema.optional(),
  duplicates: duplicateHandlingSchema.optional(),
  ownerSystemUserId: guid.optional(),
  campaignId: guid.optional(),
  marketingListId: guid.optional(),
  fieldRules: z
    .record(z.string().regex(/^[a-z_][a-z0-9_]{0,99}$/), z.enum(['crm', 'leadbridge']))
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
