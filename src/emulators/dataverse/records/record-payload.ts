import { dataverseErrors } from '../errors.js';
import type { OperationContext, RecordRef } from '../environment.js';
import type { CollectionNavigation, SingleNavigation, TableModel } from '../metadata/table-catalog.js';
import type { LookupValue } from '../persistence/record-store.js';
import { describedLookup } from '../metadata/index.js';
import { LOOKUP_TYPES, readAttributeValue } from './attribute-values.js';
import { resolveRecordUri } from './record-locator.js';

/** A create/update body, checked against the table's metadata and split by what each key does. */
export interface RecordPayload {
  /** Column values in stored form, lookups included (as {@link LookupValue} or null). */
  readonly values: Map<string, unknown>;
  /** Nested objects under single-valued navigation properties (deep insert). */
  readonly nestedSingles: { nav: SingleNavigation; body: unknown }[];
  /** Arrays of new rows under collection navigation properties (deep insert). */
  readonly nestedCollections: { nav: CollectionNavigation; bodies: unknown[] }[];
  /** `Nav@odata.bind: [uris]` on collection navigation properties. */
  readonly collectionBinds: { nav: CollectionNavigation; refs: RecordRef[] }[];
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ODataLib's default MessageQuotas.MaxNestingDepth, which bounds deep insert in the Web API. */
const MAX_NESTING_DEPTH = 100;

/**
 * Refuses entries nested deeper than ODataLib allows, before any of them is written: a deep insert is
 * processed recursively, and a hostile payload must get Dataverse's payload error, not a stack overflow.
 */
function assertNestingDepth(entitySet: string, body: Record<string, unknown>): void {
  const pending: { node: unknown; depth: number }[] = [{ node: body, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth } = next;
    if (depth > MAX_NESTING_DEPTH)
      throw dataverseErrors.invalidJson(
        entitySet,
        `The depth limit for entries in nested expanded navigation links was reached. The depth limit is '${MAX_NESTING_DEPTH}'.`,
      );
    const children = Array.isArray(node) ? node : isJsonObject(node) ? Object.values(node) : [];
    for (const child of children)
      if (typeof child === 'object' && child !== null)
        pending.push({ node: child, depth: Array.isArray(child) ? depth : depth + 1 });
  }
}

export function readRecordPayload(
  ctx: OperationContext,
  table: TableModel,
  body: unknown,
  operation: 'create' | 'update',
): RecordPayload {
  if (!isJsonObject(body))
    throw dataverseErrors.invalidJson(
      table.entitySetName,
      'The payload must be a JSON object describing one record.',
    );
  assertNestingDepth(table.entitySetName, body);
  const payload: RecordPayload = {
    values: new Map(),
    nestedSingles: [],
    nestedCollections: [],
    collectionBinds: [],
  };
  for (const [key, raw] of Object.entries(body)) {
    if (key.endsWith('@odata.bind')) {
      readBind(ctx, table, key.slice(0, -'@odata.bind'.length), raw, payload);
      continue;
    }
    if (key.startsWith('@') || key.includes('@')) {
      if (
        key === '@odata.type' &&
        raw !== `Microsoft.Dynamics.CRM.${table.logicalName}` &&
        raw !== `#Microsoft.Dynamics.CRM.${table.logicalName}`
      )
        throw dataverseErrors.invalidJson(
          table.entitySetName,
          `The '@odata.type' '${String(raw)}' does not match '${table.logicalName}'.`,
        );
      continue; // instance annotations (etag, formatted values) are informational on input
    }
    const single = table.singleNavigations.get(key);
    if (single && isJsonObject(raw)) {
      payload.nestedSingles.push({ nav: single, body: raw });
      continue;
    }
    const collection = table.collectionNavigations.get(key);
    if (collection) {
      if (!Array.isArray(raw))
        throw dataverseErrors.invalidJson(table.entitySetName, `A collection was expected for '${key}'.`);
      payload.nestedCollections.push({ nav: collection, bodies: raw });
      continue;
    }
    if (table.lookupProperties.has(key))
      throw dataverseErrors.invalidArgument(
        'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.',
      );
    const attribute = table.attributes.get(key);
    if (
      !attribute ||
      describedLookup(table, attribute) !== undefined ||
      LOOKUP_TYPES.has(attribute.type) ||
      attribute.type === 'PartyList'
    )
      throw dataverseErrors.unknownPayloadProperty(table.entitySetName, table.logicalName, key);
    // The primary key names the row in UpdateMultiple targets (MSDocs bulk-operations), even on tables
    // whose key attribute is not IsValidForUpdate (contactid, accountid); updateRecord drops it.
    const allowed =
      operation === 'create'
        ? attribute.isValidForCreate
        : attribute.isValidForUpdate || key === table.primaryIdAttribute;
    if (!allowed) throw dataverseErrors.notValidFor(operation, table.logicalName, key);
    payload.values.set(key, readAttributeValue(table, attribute, raw));
  }
  return payload;
}

function readBind(
  ctx: OperationContext,
  table: TableModel,
  navName: string,
  raw: unknown,
  payload: RecordPayload,
): void {
  const single = table.singleNavigations.get(navName) ?? aliasOwnerNavigation(table, navName);
  if (single) {
    const allowed = single.attribute.isValidForCreate || single.attribute.isValidForUpdate;
    if (!allowed)
      throw dataverseErrors.notValidFor('update', table.logicalName, single.attribute.logicalName);
    if (raw === null) {
      payload.values.set(single.attribute.logicalName, null);
      return;
    }
    if (typeof raw !== 'string')
      throw dataverseErrors.invalidBind(`The value of '${navName}@odata.bind' must be a URI.`);
    const ref = resolveRecordUri(ctx, raw);
    if (!single.targets.includes(ref.table.logicalName))
      throw dataverseErrors.invalidBind(
        `An undeclared property '${navName}' which only has property annotations in the payload but no property value was found in the payload. (The URI '${raw}' points at '${ref.table.logicalName}', but '${navName}' accepts ${single.targets.join(', ')}.)`,
      );
    payload.values.set(single.attribute.logicalName, {
      id: ref.id,
      entity: ref.table.logicalName,
    } satisfies LookupValue);
    return;
  }
  const collection = table.collectionNavigations.get(navName);
  if (collection) {
    if (!Array.isArray(raw) || raw.some((u) => typeof u !== 'string'))
      throw dataverseErrors.invalidBind(`The value of '${navName}@odata.bind' must be an array of URIs.`);
    payload.collectionBinds.push({ nav: collection, refs: raw.map((u: string) => resolveRecordUri(ctx, u)) });
    return;
  }
  throw dataverseErrors.invalidBind(
    `An undeclared property '${navName}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
  );
}

/**
 * Activities name their owner navigation `ownerid_task`; clients (and Microsoft's own samples) also
 * send `ownerid@odata.bind`, which the service accepts.
 */
function aliasOwnerNavigation(table: TableModel, navName: string): SingleNavigation | undefined {
  for (const nav of table.singleNavigations.values())
    if (nav.attribute.logicalName === navName && nav.attribute.type === 'Owner') return nav;
  return undefined;
}
