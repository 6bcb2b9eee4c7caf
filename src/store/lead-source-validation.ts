import { z } from 'zod';
import {
  CRM_TABLES,
  SOURCE_KINDS,
  type DuplicateHandling,
  type NewLeadSource,
  type SourceField,
  type SourceMappings,
} from '../domain/index.js';
import { guidSchema, idSchema } from './input-validation.js';

/**
 * The shape of a lead source, checked before it is stored and again when its JSON columns are read
 * back. Only the shape: whether a mapping fits the CRM's metadata is capture's check, made against the
 * live metadata before saving.
 */
const nameText = z.string().trim().min(1).max(200);

const sourceFieldSchema = z
  .strictObject({
    name: nameText,
    label: nameText,
    type: z.enum(['text', 'email', 'phone', 'textarea', 'select', 'checkbox', 'number']),
    required: z.boolean(),
    maxLength: z.number().int().min(1).max(1_000_000).exactOptional(),
    options: z.array(z.string().min(1).max(200)).min(1).max(500).exactOptional(),
  })
  .refine((field) => (field.type === 'select') === (field.options !== undefined), {
    message: 'a select field needs options, and only a select field has them',
  });

const fieldsSchema: z.ZodType<readonly SourceField[]> = z
  .array(sourceFieldSchema)
  .max(200)
  .refine((fields) => new Set(fields.map((field) => field.name)).size === fields.length, {
    message: 'field names must be unique',
  });

const transformSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('trim') }),
  z.strictObject({ kind: z.literal('case'), to: z.enum(['upper', 'lower', 'title']) }),
  z.strictObject({ kind: z.literal('split_full_name'), part: z.enum(['first', 'last']) }),
  z.strictObject({
    kind: z.literal('phone_e164'),
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code')
      .exactOptional(),
  }),
  z.strictObject({ kind: z.literal('country'), to: z.enum(['name', 'iso2', 'iso3']) }),
]);

const columnMappingSchema = z.strictObject({
  column: nameText,
  value: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('field'), field: nameText }),
    z.strictObject({
      kind: z.literal('constant'),
      value: z.union([z.string().max(4000), z.number(), z.boolean()]),
    }),
  ]),
  transforms: z.array(transformSchema).max(20).exactOptional(),
  choiceBy: z.enum(['label', 'value']).exactOptional(),
});

const mappingsSchema: z.ZodType<SourceMappings> = z
  .partialRecord(
    z.enum(CRM_TABLES),
    z.strictObject({ table: z.enum(CRM_TABLES), columns: z.array(columnMappingSchema).max(500) }),
  )
  .refine((mappings) => Object.entries(mappings).every(([table, mapping]) => mapping?.table === table), {
    message: "each mapping's table must match its key",
  });

const duplicatesSchema: z.ZodType<DuplicateHandling> = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('policy'),
    policy: z.strictObject({
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
    }),
  }),
  z.strictObject({ mode: z.literal('strategy') }),
]);

const shape = {
  name: nameText,
  kind: z.enum(SOURCE_KINDS),
  connectionId: idSchema,
  fields: fieldsSchema,
  mappings: mappingsSchema,
  duplicates: duplicatesSchema,
  ownerSystemUserId: guidSchema,
  campaignId: guidSchema,
  marketingListId: guidSchema,
  fieldRules: z.record(z.string().regex(/^[a-z_][a-z0-9_]{0,99}$/), z.enum(['crm', 'leadbridge'])),
  // Up to a week between scheduled cycles.
  syncIntervalMinutes: z.number().int().min(1).max(10_080),
  enabled: z.boolean(),
};

export const newLeadSourceSchema: z.ZodType<NewLeadSource> = z.strictObject({
  ...shape,
  connectionId: shape.connectionId.exactOptional(),
  ownerSystemUserId: shape.ownerSystemUserId.exactOptional(),
  campaignId: shape.campaignId.exactOptional(),
  marketingListId: shape.marketingListId.exactOptional(),
  fieldRules: shape.fieldRules.exactOptional(),
});

/** The optional references a change may clear: `null` removes them (absent leaves them as they are). */
export const CLEARABLE_SOURCE_KEYS = [
  'connectionId',
  'ownerSystemUserId',
  'campaignId',
  'marketingListId',
] as const;
type ClearableSourceKey = (typeof CLEARABLE_SOURCE_KEYS)[number];

/** Changes to a source: any field, and `null` for an optional reference to clear it. */
export type LeadSourceUpdate = {
  readonly [K in keyof NewLeadSource]?: K extends ClearableSourceKey
    ? NewLeadSource[K] | null
    : NewLeadSource[K];
};

export const leadSourceUpdateSchema = z.strictObject({
  name: shape.name.exactOptional(),
  kind: shape.kind.exactOptional(),
  connectionId: shape.connectionId.nullable().exactOptional(),
  fields: shape.fields.exactOptional(),
  mappings: shape.mappings.exactOptional(),
  duplicates: shape.duplicates.exactOptional(),
  ownerSystemUserId: shape.ownerSystemUserId.nullable().exactOptional(),
  campaignId: shape.campaignId.nullable().exactOptional(),
  marketingListId: shape.marketingListId.nullable().exactOptional(),
  fieldRules: shape.fieldRules.exactOptional(),
  syncIntervalMinutes: shape.syncIntervalMinutes.exactOptional(),
  enabled: shape.enabled.exactOptional(),
});

/** Reading the JSON columns back: they were checked on the way in, so a failure here is corruption. */
export const storedFieldsSchema = fieldsSchema;
export const storedMappingsSchema = mappingsSchema;
export const storedDuplicatesSchema = duplicatesSchema;
export const storedFieldRulesSchema = shape.fieldRules;
