/**
 * An incoming lead as matching sees it. The sync engine builds one per lead from the mapped record
 * (`fields`) and the source payload (`sourceValues`); duplicate policies read the person's email and
 * name, matching strategies read source fields by name.
 */
export interface MatchSubject {
  readonly email?: string | undefined;
  readonly firstName?: string | undefined;
  readonly lastName?: string | undefined;
  /** The record as mapped to CRM columns. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The lead as the source sent it, keyed by the source's own field names. */
  readonly sourceValues: Readonly<Record<string, unknown>>;
}

/** The person columns duplicate policies compare; lead and contact share these logical names. */
export const EMAIL_COLUMN = 'emailaddress1';
export const FIRST_NAME_COLUMN = 'firstname';
export const LAST_NAME_COLUMN = 'lastname';
export const PERSON_COLUMNS: readonly string[] = [EMAIL_COLUMN, FIRST_NAME_COLUMN, LAST_NAME_COLUMN];

/** A subject from a record mapped to lead or contact columns and the payload it came from. */
export function matchSubjectFrom(
  fields: Readonly<Record<string, unknown>>,
  sourceValues: Readonly<Record<string, unknown>>,
): MatchSubject {
  return {
    email: textOrUndefined(fields[EMAIL_COLUMN]),
    firstName: textOrUndefined(fields[FIRST_NAME_COLUMN]),
    lastName: textOrUndefined(fields[LAST_NAME_COLUMN]),
    fields,
    sourceValues,
  };
}

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
