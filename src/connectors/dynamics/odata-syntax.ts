import { LeadbridgeError } from '../../shared/errors.js';

/**
 * Building blocks for Web API URLs. Values that come from people or payloads (an e-mail in a `$filter`,
 * an alternate key) go through these helpers only, so a quote in `O'Brien` can never end a literal
 * early and smuggle in another clause.
 */

/** Doubles single quotes, the only escape inside an OData string literal (OData ABNF `SQUOTE-in-string`). */
export function escapeODataString(value: string): string {
  return value.replaceAll("'", "''");
}

/** A complete OData string literal: `O'Brien` → `'O''Brien'`. */
export function odataString(value: string): string {
  return `'${escapeODataString(value)}'`;
}

/** `Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=["a","b"])` with JSON-escaped values. */
export function odataIn(property: string, values: readonly string[]): string {
  assertIdentifier(property, 'property');
  return `Microsoft.Dynamics.CRM.In(PropertyName=${odataString(property)},PropertyValues=${JSON.stringify(values)})`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entity set, column and action names are identifiers; anything else is a programming error. */
export function assertIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name))
    throw new LeadbridgeError('crm_validation_failed', `'${name}' is not a valid ${what} name.`);
  return name;
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A row's key: its GUID, or the columns of an alternate key defined on the table. */
export type RecordKey = string | Readonly<Record<string, string | number | boolean>>;

function keyValue(value: string | number | boolean): string {
  if (typeof value === 'string') return isGuid(value) ? value : odataString(value);
  return String(value);
}

/**
 * `leads(<guid>)` or `contacts(emailaddress1='a@b.c',lastname='O''Brien')`. Dataverse refuses a few
 * characters in alternate-key values even when escaped (`/ < > * % & : \ ? +`, MSDocs
 * use-alternate-key-reference-record); those must be looked up with `$filter` instead.
 */
export function recordPath(entitySet: string, key: RecordKey): string {
  assertIdentifier(entitySet, 'entity set');
  if (typeof key === 'string') {
    if (!isGuid(key)) throw new LeadbridgeError('crm_validation_failed', `'${key}' is not a GUID.`);
    return `${entitySet}(${key.toLowerCase()})`;
  }
  const parts = Object.entries(key).map(([column, value]) => {
    assertIdentifier(column, 'column');
    if (typeof value === 'string' && /[/<>*%&:\\?+]/.test(value))
      throw new LeadbridgeError(
        'crm_validation_failed',
        `The value of alternate key column '${column}' holds a character Dataverse does not accept in a key; look the row up with $filter instead.`,
      );
    return `${column}=${keyValue(value)}`;
  });
  if (parts.length === 0)
    throw new LeadbridgeError('crm_validation_failed', 'An alternate key needs a column.');
  return `${entitySet}(${parts.join(',')})`;
}

export interface QueryOptions {
  readonly select?: readonly string[];
  /** A `$filter` expression; build literals in it with {@link odataString}. */
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly expand?: string;
  readonly top?: number;
  readonly count?: boolean;
}

/** `?$select=a,b&$filter=…` with each value percent-encoded (`$` and `=` stay literal, as Dataverse shows them). */
export function queryString(options: QueryOptions): string {
  const parts: string[] = [];
  const add = (name: string, value: string) => parts.push(`${name}=${encodeURIComponent(value)}`);
  if (options.select?.length)
    add('$select', options.select.map((c) => assertIdentifier(c, 'column')).join(','));
  if (options.filter) add('$filter', options.filter);
  if (options.orderBy?.length) add('$orderby', options.orderBy.join(','));
  if (options.expand) add('$expand', options.expand);
  if (options.top !== undefined) add('$top', String(options.top));
  if (options.count) add('$count', 'true');
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** The GUID at the end of an `OData-EntityId` (`…/leads(7eb6…)`), when the key is a GUID. */
export function idFromEntityUrl(entityUrl: string | undefined): string | undefined {
  const match = /\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)\s*$/i.exec(
    entityUrl ?? '',
  );
  return match?.[1]?.toLowerCase();
}
