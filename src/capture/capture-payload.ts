import { z } from 'zod';
import type { LeadPayload, SourceField } from '../domain/index.js';
import { err, LeadbridgeError, ok, type Result } from '../shared/index.js';
import { checkLeadFields } from './source-field-checks.js';
import { formatCount } from './value-text.js';

export { idempotencyKeyFor } from './idempotency-key.js';

/**
 * The capture API's body: one lead, or an array of 1 to 1,000. A lead is a flat object of field →
 * string | number | boolean | null, with an optional `externalId`. Quotes and OData-looking text
 * (`O'Brien`, `x') or (1 eq 1`) are ordinary values here; escaping is the connector's job.
 */
export const MAX_LEADS_PER_REQUEST = 1000;
export const MAX_FIELDS_PER_LEAD = 100;
export const MAX_VALUE_LENGTH = 10_000;
export const MAX_EXTERNAL_ID_LENGTH = 200;
export const FIELD_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

const leadValueSchema = z.union(
  [
    z.string().max(MAX_VALUE_LENGTH, { error: `is longer than ${formatCount(MAX_VALUE_LENGTH)} characters` }),
    z.number({ error: 'must be a finite number' }),
    z.boolean(),
    z.null(),
  ],
  { error: 'must be a string, number, boolean or null (no objects or arrays)' },
);

export const captureLeadSchema = z
  .record(z.string(), leadValueSchema, { error: 'a lead must be a JSON object of field names and values' })
  .superRefine((lead, ctx) => {
    const keys = Object.keys(lead);
    if (keys.length > MAX_FIELDS_PER_LEAD)
      ctx.addIssue({
        code: 'custom',
        message: `has ${formatCount(keys.length)} fields; at most ${MAX_FIELDS_PER_LEAD} are allowed`,
      });
    for (const key of keys)
      if (!FIELD_NAME_PATTERN.test(key))
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(key)} is not a valid field name (a letter, then up to 63 letters, digits, "_", "." or "-")`,
        });
    const externalId = lead['externalId'];
    if (
      externalId !== undefined &&
      (typeof externalId !== 'string' || externalId.length < 1 || externalId.length > MAX_EXTERNAL_ID_LENGTH)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['externalId'],
        message: `must be text of 1 to ${MAX_EXTERNAL_ID_LENGTH} characters`,
      });
  });

/** The `Idempotency-Key` request header, when sent. */
export const idempotencyKeyHeaderSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(MAX_EXTERNAL_ID_LENGTH, { error: `must be at most ${MAX_EXTERNAL_ID_LENGTH} characters` });

export const captureBatchSchema = z
  .array(captureLeadSchema)
  .min(1, { error: 'the array is empty; send 1 to 1,000 leads' })
  .max(MAX_LEADS_PER_REQUEST, { error: 'holds more than 1,000 leads; split it' });

/** For documentation (OpenAPI); parsing goes through {@link parseCaptureBody} for clearer messages. */
export const captureBodySchema = z.union([captureLeadSchema, captureBatchSchema]);

export interface CaptureBody {
  readonly leads: readonly LeadPayload[];
  /** True when the body was an array: idempotency keys from a header then get `#<index>`. */
  readonly batch: boolean;
}

export interface CaptureIssue {
  /** `leads[3].email` for arrays, `email` for a single lead, `body` for the body as a whole. */
  readonly path: string;
  /** A whole sentence starting with the path: `leads[3].email: "not-an-email" is not an email address`. */
  readonly message: string;
}

/**
 * Parses a capture body and, given the source's fields, checks each lead against them. Every problem
 * is listed, each naming the lead's index and the field.
 */
export function parseCaptureBody(
  body: unknown,
  fields?: readonly SourceField[],
): Result<CaptureBody, readonly CaptureIssue[]> {
  const batch = Array.isArray(body);
  const parsed = batch
    ? captureBatchSchema.safeParse(body)
    : body !== null && typeof body === 'object'
      ? captureLeadSchema.safeParse(body)
      : undefined;
  if (parsed === undefined)
    return err([
      issue('body', `must be a lead object or an array of 1 to ${formatCount(MAX_LEADS_PER_REQUEST)} leads`),
    ]);
  if (!parsed.success)
    return err(
      parsed.error.issues.map((zodIssue) => issue(pathText(zodIssue.path, batch), zodIssue.message)),
    );
  const leads: readonly LeadPayload[] = batch ? (parsed.data as LeadPayload[]) : [parsed.data as LeadPayload];
  const issues =
    fields === undefined
      ? []
      : leads.flatMap((lead, index) => checkLead(lead, fields, batch ? index : undefined));
  return issues.length > 0 ? err(issues) : ok({ leads, batch });
}

/** The field checks for one lead; `index` given means it came from an array. */
export function checkLead(
  lead: LeadPayload,
  fields: readonly SourceField[],
  index?: number,
): readonly CaptureIssue[] {
  return checkLeadFields(lead, fields).map(({ field, problem }) =>
    issue(index === undefined ? field : `leads[${index}].${field}`, problem),
  );
}

function issue(path: string, problem: string): CaptureIssue {
  return { path, message: `${path}: ${problem}` };
}

function pathText(path: readonly PropertyKey[], batch: boolean): string {
  const [first, ...rest] = path;
  if (!batch) return path.length === 0 ? 'lead' : path.map(String).join('.');
  if (first === undefined) return 'body';
  return [`leads[${String(first)}]`, ...rest.map(String)].join('.');
}

/** The `invalid_body` error for a refused body, listing every problem. */
export function captureIssuesError(issues: readonly CaptureIssue[]): LeadbridgeError {
  return new LeadbridgeError('invalid_body', issues.map((i) => i.message).join('; '));
}
