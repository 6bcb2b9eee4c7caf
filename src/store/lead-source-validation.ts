import { z } from 'zod';
import {
  duplicateHandlingSchema,
  fieldRulesSchema,
  sourceFieldsSchema,
  sourceMappingsSchema,
  type columnMappingSchema,
  type crmTableSchema,
  type duplicatePolicySchema,
  type fieldMappingSchema,
  type mappingTransformSchema,
  type sourceFieldSchema,
} from '../contracts/index.js';
import {
  SOURCE_KINDS,
  type ColumnMapping,
  type CrmTable,
  type DuplicateHandling,
  type DuplicatePolicy,
  type FieldMapping,
  type FieldRule,
  type MappingTransform,
  type NewLeadSource,
  type SourceField,
  type SourceMappings,
} from '../domain/index.js';
import { guidSchema, idSchema } from './input-validation.js';

/**
 * The shape of a lead source, checked before it is stored and again when its JSON columns are read
 * back. Its parts are the HTTP API's own schemas (src/contracts/lead-source-shape.ts), so the API
 * and the store cannot disagree on what a valid source is.
 */

/**
 * Compile-time proof that a schema parses to exactly a domain type: the same properties, `readonly`
 * aside (identity of the writable forms), and no explicit `undefined` where the domain has none
 * (assignability, which the identity check cannot tell under `exactOptionalPropertyTypes`).
 */
type Writable<T> = T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;
type Same<A, B> =
  (<T>() => T extends Writable<A> ? 1 : 2) extends <T>() => T extends Writable<B> ? 1 : 2 ? true : false;
type Parses<S extends z.ZodType, T> = [z.output<S>] extends [T] ? Same<z.output<S>, T> : false;
type Holds<T extends true> = T;
// Drift between the contracts and the domain types fails to compile here.
type _LeadSourceShapeMatchesDomain = [
  Holds<Parses<typeof sourceFieldSchema, SourceField>>,
  Holds<Parses<typeof mappingTransformSchema, MappingTransform>>,
  Holds<Parses<typeof columnMappingSchema, ColumnMapping>>,
  Holds<Parses<typeof crmTableSchema, CrmTable>>,
  Holds<Parses<typeof fieldMappingSchema, FieldMapping>>,
  Holds<Parses<typeof sourceMappingsSchema, SourceMappings>>,
  Holds<Parses<typeof duplicatePolicySchema, DuplicatePolicy>>,
  Holds<Parses<typeof duplicateHandlingSchema, DuplicateHandling>>,
  Holds<Parses<typeof fieldRulesSchema, Readonly<Record<string, FieldRule>>>>,
];

const fieldsSchema: z.ZodType<readonly SourceField[]> = sourceFieldsSchema;
const mappingsSchema: z.ZodType<SourceMappings> = sourceMappingsSchema;
const duplicatesSchema: z.ZodType<DuplicateHandling> = duplicateHandlingSchema;

const nameText = z.string().trim().min(1).max(200);

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
  fieldRules: fieldRulesSchema,
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
