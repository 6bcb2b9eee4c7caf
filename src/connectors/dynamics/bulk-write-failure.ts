import type { CrmWriteError } from '../../domain/index.js';
import { DataverseError } from './dataverse-error.js';

/**
 * What a failed `CreateMultiple`/`UpdateMultiple` means for its rows. On standard tables the whole
 * request rolls back on any error (MSDocs bulk-operations §On Error behavior), so the writer must work
 * out which rows caused it: this module reads Dataverse's answer; bulk-record-writer.ts acts on it.
 */

export type BulkFailureKind =
  /** Throttled, unavailable, unreachable, not signed in, not allowed: nothing to do with the rows. */
  | 'request'
  /** A primary or alternate key that already exists (a retried create). */
  | 'duplicate_key'
  /** A row to update, or a row one refers to, does not exist. */
  | 'not_found'
  /** The payload is too large: send fewer rows. */
  | 'too_large'
  /** Something about one or more rows: a value, a column, a status. */
  | 'record';

const REQUEST_LEVEL = new Set([
  'crm_throttled',
  'crm_unavailable',
  'crm_unreachable',
  'crm_reauthorization_needed',
  'crm_auth_failed',
  'crm_forbidden',
  'crm_wrong_environment',
]);

/** DuplicateRecord; MSDocs bulk-operations lists "Cannot insert duplicate key." for the same clash. */
const DUPLICATE_KEY = /0x80040237/i;
const DUPLICATE_KEY_MESSAGE = /duplicate key|matching key values already exists/i;

/** Only an answer from Dataverse about this request says anything about its rows. */
export function isDataverseAnswer(error: unknown): error is DataverseError {
  return error instanceof DataverseError && error.httpStatus !== undefined;
}

export function classifyBulkFailure(error: DataverseError): BulkFailureKind {
  const status = error.httpStatus ?? 0;
  const vendorCode = error.vendor?.code ?? '';
  const vendorMessage = error.vendor?.message ?? '';
  if (REQUEST_LEVEL.has(error.code) || status === 401 || status === 403 || status === 429 || status >= 500)
    return 'request';
  if (status === 413 || /0x8004418a/i.test(vendorCode)) return 'too_large';
  if (DUPLICATE_KEY.test(vendorCode) || DUPLICATE_KEY_MESSAGE.test(vendorMessage)) return 'duplicate_key';
  if (status === 404 || /0x80040217/i.test(vendorCode)) return 'not_found';
  return 'record';
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The GUIDs a message names ("lead With Id = … Does Not Exist", "Contact With Ids = … Do Not Exist"). */
export function guidsIn(message: string): Set<string> {
  return new Set([...message.matchAll(GUID)].map((match) => match[0].toLowerCase()));
}

export interface RowForDiagnosis {
  readonly id: string;
  readonly values: Readonly<Record<string, unknown>>;
}

type RowTest = (row: RowForDiagnosis) => boolean;

const has = (row: RowForDiagnosis, column: string) =>
  Object.keys(row.values).some(
    (key) =>
      key.toLowerCase() === column.toLowerCase() || key.toLowerCase().startsWith(`${column.toLowerCase()}@`),
  );
const valueOf = (row: RowForDiagnosis, column: string): unknown => {
  const key = Object.keys(row.values).find((name) => name.toLowerCase() === column.toLowerCase());
  return key === undefined ? undefined : row.values[key];
};

/**
 * Dataverse's column-specific messages (protocols/dataverse.md §1.11; docs/emulators/dataverse.md
 * §Errors), each as the test it states. A row passing the test fails the same check on the server.
 */
const RULES: ReadonlyArray<{ readonly pattern: RegExp; readonly test: (m: RegExpExecArray) => RowTest }> = [
  {
    // 0x80044331: "The length of the 'subject' attribute of the 'lead' entity exceeded the maximum allowed length of '300'."
    pattern:
      /length of the '(\w+)' attribute of the '\w+' entity exceeded the maximum allowed length of '(\d+)'/i,
    test: (m) => (row) => {
      const value = valueOf(row, m[1] ?? '');
      return typeof value === 'string' && value.length > Number(m[2]);
    },
  },
  {
    // 0x8004431A / 0x80044330: "The value 99 of 'leadsourcecode' on record of type 'lead' is outside the valid range…"
    pattern: /The value (-?\d+(?:\.\d+)?) of '(\w+)' on record of type '\w+' is outside the valid range/i,
    test: (m) => (row) =>
      Number(valueOf(row, m[2] ?? '')) === Number(m[1]) && valueOf(row, m[2] ?? '') !== null,
  },
  {
    // 0x80048d19: "The property 'foo' does not exist on type 'Microsoft.Dynamics.CRM.lead'."
    pattern: /The property '([\w.]+)' does not exist on type/i,
    test: (m) => (row) => has(row, m[1] ?? ''),
  },
  {
    // 0x80040203: "The 'createdon' attribute of the 'lead' entity is not valid for create."
    pattern: /The '(\w+)' attribute of the '\w+' entity is not valid for (?:create|update)/i,
    test: (m) => (row) => has(row, m[1] ?? ''),
  },
  {
    // 0x80040203: "Attribute 'lastname' of 'lead' is SystemRequired and cannot be set to null."
    pattern: /Attribute '(\w+)' of '\w+' is SystemRequired and cannot be set to null/i,
    test: (m) => (row) => has(row, m[1] ?? '') && valueOf(row, m[1] ?? '') === null,
  },
  {
    // 0x80048d19: "Cannot convert the literal 'abc' to the expected type 'Edm.Int32'."
    pattern: /Cannot convert the literal '(.*)' to the expected type/i,
    test: (m) => (row) =>
      Object.values(row.values).some(
        (value) => value !== null && typeof value !== 'object' && String(value) === m[1],
      ),
  },
];

/**
 * The rows a failure is certainly about, when its message says (a column rule, or the rows' own ids,
 * or the id of a row they refer to); undefined when it does not, and the rows must be bisected.
 */
export function rowsBlamed(error: DataverseError, rows: readonly RowForDiagnosis[]): Set<number> | undefined {
  const message = error.vendor?.message ?? '';
  for (const rule of RULES) {
    const match = rule.pattern.exec(message);
    if (match === null) continue;
    const test = rule.test(match);
    const blamed = new Set(rows.flatMap((row, index) => (test(row) ? [index] : [])));
    if (blamed.size > 0) return blamed;
  }
  const guids = guidsIn(message);
  if (guids.size === 0) return undefined;
  const byId = new Set(rows.flatMap((row, index) => (guids.has(row.id.toLowerCase()) ? [index] : [])));
  if (byId.size > 0) return byId;
  const byReference = new Set(
    rows.flatMap((row, index) =>
      Object.values(row.values).some(
        (value) => typeof value === 'string' && [...guidsIn(value)].some((g) => guids.has(g)),
      )
        ? [index]
        : [],
    ),
  );
  return byReference.size > 0 ? byReference : undefined;
}

/** Dataverse's reason in the words of someone fixing a mapping. */
function plainReason(message: string): string | undefined {
  let m =
    /length of the '(\w+)' attribute of the '(\w+)' entity exceeded the maximum allowed length of '(\d+)'/i.exec(
      message,
    );
  if (m) return `${m[1]} is longer than the ${m[3]} characters Dynamics 365 allows on ${m[2]}.`;
  m =
    /The value (-?\d+(?:\.\d+)?) of '(\w+)' on record of type '(\w+)' is outside the valid range(?: of (-?\d+(?:\.\d+)?) to (-?\d+(?:\.\d+)?))?/i.exec(
      message,
    );
  if (m)
    return m[4] !== undefined
      ? `${m[2]} is ${m[1]}, outside the range ${m[4]} to ${m[5]} that Dynamics 365 allows on ${m[3]}.`
      : `${m[1]} is not one of the choices of ${m[3]}.${m[2]}.`;
  m = /The property '([\w.]+)' does not exist on type 'Microsoft\.Dynamics\.CRM\.(\w+)'/i.exec(message);
  if (m) return `${m[2]} has no column ${m[1]}; check the field mapping.`;
  m = /Cannot convert the literal '(.*)' to the expected type '([\w.]+)'/i.exec(message);
  if (m) return `'${m[1]}' is not a valid ${(m[2] ?? '').replace(/^Edm\./, '')} value for its column.`;
  m = /^(\w+) With Ids? = (.+?) Do(?:es)? Not Exist/i.exec(message);
  if (m)
    return `The ${(m[1] ?? '').toLowerCase()} ${m[2]} does not exist in Dynamics 365 (it may have been deleted).`;
  return undefined;
}

/** The per-row error for the sync log: our code, a plain reason, Dataverse's own words and code. */
export function rowError(error: DataverseError, note?: string): CrmWriteError {
  const vendorMessage = error.vendor?.message?.trim() ?? '';
  const reason = plainReason(vendorMessage);
  const said = vendorMessage !== '' ? `Dataverse said "${vendorMessage}".` : error.message;
  const message = [reason, said, note].filter((part) => part !== undefined && part !== '').join(' ');
  return {
    code: error.code,
    message,
    retryable: error.retryable,
    ...(error.vendor?.code !== undefined ? { vendorCode: error.vendor.code } : {}),
  };
}
