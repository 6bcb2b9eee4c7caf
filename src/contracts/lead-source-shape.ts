import { z } from 'zod';

/**
 * The shape of a lead source's parts: its fields, mappings (with transforms), duplicate handling and
 * field rules. Written once, here, because the HTTP API (and web/) and the store check the same
 * shape: contracts import nothing but zod, so every layer that needs it, store included, can import
 * it without pointing upwards, and web/ keeps importing contracts only. Optional properties are
 * `exactOptional` so the parsed values are the domain types (`SourceField`, `SourceMappings`,
 * `DuplicateHandling`, ...); src/store/lead-source-validation.ts checks at compile time that they
 * stay the same. Only the shape: whether a mapping fits the CRM's metadata is capture's check.
 */
export const crmTableSchema = z.enum(['lead', 'contact', 'account']);

/** A key in the lead payload. */
const sourceFieldName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
    'Use letters, digits, "_", "." or "-", starting with a letter (≤ 64)',
  );

/** A CRM column's logical name (Dataverse logical names are lower case). */
const crmColumnName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,99}$/, 'Use the CRM column logical name, e.g. emailaddress1');

export const sourceFieldSchema = z
  .strictObject({
    name: sourceFieldName,
    label: z.string().trim().min(1).max(200),
    type: z.enum(['text', 'email', 'phone', 'textarea', 'select', 'checkbox', 'number']),
    required: z.boolean().default(false),
    maxLength: z.number().int().min(1).max(100_000).exactOptional(),
    options: z.array(z.string().trim().min(1).max(200)).min(1).max(200).exactOptional(),
  })
  .refine((field) => (field.type === 'select') === (field.options !== undefined), {
    message: 'A select field needs options, and only a select field has them',
    path: ['options'],
  });

export const sourceFieldsSchema = z
  .array(sourceFieldSchema)
  .max(100)
  .superRefine((fields, context) => {
    const seen = new Set<string>();
    fields.forEach((field, index) => {
      if (seen.has(field.name))
        context.addIssue({
          code: 'custom',
          message: `The field name "${field.name}" is used twice`,
          path: [index, 'name'],
        });
      seen.add(field.name);
    });
  });

export const mappingTransformSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('trim') }),
  z.strictObject({ kind: z.literal('case'), to: z.enum(['upper', 'lower', 'title']) }),
  z.strictObject({ kind: z.literal('split_full_name'), part: z.enum(['first', 'last']) }),
  z.strictObject({
    kind: z.literal('phone_e164'),
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'Use a two-letter ISO country code, e.g. DE')
      .exactOptional(),
  }),
  z.strictObject({ kind: z.literal('country'), to: z.enum(['name', 'iso2', 'iso3']) }),
]);

export const columnMappingSchema = z.strictObject({
  column: crmColumnName,
  value: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('field'), field: sourceFieldName }),
    z.strictObject({
      kind: z.literal('constant'),
      value: z.union([z.string().max(4000), z.number(), z.boolean()]),
    }),
  ]),
  transforms: z.array(mappingTransformSchema).max(10).exactOptional(),
  choiceBy: z.enum(['label', 'value']).exactOptional(),
});

export const fieldMappingSchema = z.strictObject({
  table: crmTableSchema,
  columns: z.array(columnMappingSchema).max(200),
});

export const sourceMappingsSchema = z
  .strictObject({
    lead: fieldMappingSchema.exactOptional(),
    contact: fieldMappingSchema.exactOptional(),
    account: fieldMappingSchema.exactOptional(),
  })
  .superRefine((mappings, context) => {
    for (const [key, mapping] of Object.entries(mappings))
      if (mapping.table !== key)
        context.addIssue({
          code: 'custom',
          message: `The ${key} mapping has the table "${mapping.table}"; it must be ${key}`,
          path: [key, 'table'],
        });
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

/** Two-way sync: per CRM column, who wins when the record is changed in Dynamics 365 (default crm). */
export const fieldRulesSchema = z.record(crmColumnName, z.enum(['crm', 'leadbridge']));
