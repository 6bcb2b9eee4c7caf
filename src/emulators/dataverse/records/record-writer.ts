import { dataverseErrors } from '../errors.js';
import type { OperationContext, RecordRef } from '../environment.js';
import type { TableModel } from '../metadata/table-catalog.js';
import type { LookupValue, StoredRecord } from '../persistence/record-store.js';
import { toDataverseInstant } from './attribute-values.js';
import { findDuplicate } from './duplicate-detection.js';
import { readRecordPayload, type RecordPayload } from './record-payload.js';
import { assertUniqueAlternateKeys } from './record-locator.js';

const userRef = (id: string): LookupValue => ({ id, entity: 'systemuser' });
const delegateRef = (ctx: OperationContext): LookupValue | null =>
  ctx.caller.delegateUserId === undefined ? null : userRef(ctx.caller.delegateUserId);

function assertWritable(table: TableModel, operation: string): void {
  if (table.isActivityView) throw dataverseErrors.readOnlyTable(table.logicalName, operation);
}

/**
 * Creates a row (and any deep-inserted related rows) inside the operation's transaction.
 * `forcedId` is the key from the URL of an upsert.
 */
export function createRecord(
  ctx: OperationContext,
  table: TableModel,
  body: unknown,
  forcedId?: string,
): RecordRef {
  assertWritable(table, 'Create');
  const payload = readRecordPayload(ctx, table, body, 'create');
  return insertPayload(ctx, table, payload, forcedId);
}

function insertPayload(
  ctx: OperationContext,
  table: TableModel,
  payload: RecordPayload,
  forcedId?: string,
): RecordRef {
  const pk = table.primaryIdAttribute;
  const bodyId = payload.values.get(pk);
  const id = (typeof bodyId === 'string' ? bodyId : undefined) ?? forcedId ?? ctx.env.newGuid();
  if (ctx.tx.get(table.logicalName, id)) throw dataverseErrors.duplicateKey();

  for (const { nav, body } of payload.nestedSingles) {
    const target = ctx.env.catalog.require(nav.targets[0] ?? '');
    const created = createRecord(ctx, target, body);
    payload.values.set(nav.attribute.logicalName, {
      id: created.id,
      entity: target.logicalName,
    } satisfies LookupValue);
  }

  const now = toDataverseInstant(ctx.now);
  const record: StoredRecord = {};
  for (const [name, value] of payload.values) record[name] = value;
  record[pk] = id;
  stamp(table, record, 'createdon', now);
  stamp(table, record, 'createdby', userRef(ctx.caller.systemUserId));
  stamp(table, record, 'createdonbehalfby', delegateRef(ctx));
  if (table.attributes.get('ownerid')?.type === 'Owner' && !record['ownerid'])
    record['ownerid'] = userRef(ctx.caller.systemUserId);
  if (table.attributes.has('statecode') && record['statecode'] === undefined) record['statecode'] = 0;
  if (table.attributes.has('activitytypecode')) record['activitytypecode'] = table.logicalName;
  if (table.logicalName === 'annotation')
    record['isdocument'] = typeof record['documentbody'] === 'string' && record['documentbody'] !== '';
  applyDerivedColumns(ctx, table, record, now);
  assertUniqueAlternateKeys(ctx.env, ctx.tx, table, record, id);
  if (ctx.detectDuplicates) {
    const duplicate = findDuplicate(ctx, table, record);
    if (duplicate) throw dataverseErrors.duplicateDetected();
  }
  ctx.tx.put(table.logicalName, id, record);

  const self: RecordRef = { table, id };
  for (const { nav, bodies } of payload.nestedCollections) {
    const child = ctx.env.catalog.require(nav.referencingTable);
    for (const body of bodies) {
      const childPayload = readRecordPayload(ctx, child, body, 'create');
      childPayload.values.set(nav.referencingAttribute, {
        id,
        entity: table.logicalName,
      } satisfies LookupValue);
      insertPayload(ctx, child, childPayload);
    }
  }
  applyCollectionBinds(ctx, self, payload);
  return self;
}

/** Applies a PATCH body to an existing row. */
export function updateRecord(
  ctx: OperationContext,
  table: TableModel,
  id: string,
  existing: StoredRecord,
  body: unknown,
): void {
  assertWritable(table, 'Update');
  const payload = readRecordPayload(ctx, table, body, 'update');
  // Keys in the body of an update are ignored: the URL names the row (MSDocs use-upsert-insert-update-record).
  payload.values.delete(table.primaryIdAttribute);
  writeUpdate(ctx, table, id, existing, payload);
}

export function writeUpdate(
  ctx: OperationContext,
  table: TableModel,
  id: string,
  existing: StoredRecord,
  payload: RecordPayload,
): void {
  for (const { nav, body } of payload.nestedSingles) {
    const target = ctx.env.catalog.require(nav.targets[0] ?? '');
    const created = createRecord(ctx, target, body);
    payload.values.set(nav.attribute.logicalName, {
      id: created.id,
      entity: target.logicalName,
    } satisfies LookupValue);
  }
  const record: StoredRecord = { ...existing };
  const stateChanged =
    payload.values.has('statecode') && payload.values.get('statecode') !== existing['statecode'];
  for (const [name, value] of payload.values) record[name] = value;
  if (stateChanged && !payload.values.has('statuscode')) delete record['statuscode'];
  applyDerivedColumns(ctx, table, record, toDataverseInstant(ctx.now));
  assertUniqueAlternateKeys(ctx.env, ctx.tx, table, record, id);
  if (ctx.detectDuplicates) {
    const duplicate = findDuplicate(ctx, table, record, id);
    if (duplicate) throw dataverseErrors.duplicateDetected();
  }
  ctx.tx.put(table.logicalName, id, record);
  applyCollectionBinds(ctx, { table, id }, payload);
}

export function deleteRecord(ctx: OperationContext, table: TableModel, id: string): void {
  assertWritable(table, 'Delete');
  ctx.tx.delete(table.logicalName, id);
}

/** Columns the service computes on every write: modified stamps, version, names, status, ownership. */
function applyDerivedColumns(
  ctx: OperationContext,
  table: TableModel,
  record: StoredRecord,
  now: string,
): void {
  stamp(table, record, 'modifiedon', now);
  stamp(table, record, 'modifiedby', userRef(ctx.caller.systemUserId));
  stamp(table, record, 'modifiedonbehalfby', delegateRef(ctx));
  record['versionnumber'] = ctx.tx.version();
  if (table.attributes.has('fullname') && table.attributes.has('lastname')) {
    const parts = [record['firstname'], record['middlename'], record['lastname']].filter(
      (p): p is string => typeof p === 'string' && p.trim() !== '',
    );
    record['fullname'] = parts.length > 0 ? parts.join(' ') : null;
  }
  if (table.attributes.has('statecode')) resolveStatus(table, record);
  const owner = record['ownerid'] as LookupValue | null | undefined;
  if (owner && table.attributes.has('owninguser')) {
    record['owninguser'] = owner.entity === 'systemuser' ? owner : null;
    if (table.attributes.has('owningteam')) record['owningteam'] = owner.entity === 'team' ? owner : null;
    record['owningbusinessunit'] = {
      id: ctx.caller.businessUnitId,
      entity: 'businessunit',
    } satisfies LookupValue;
  }
  const hasMoney = table.definition.attributes.some(
    (a) => a.type === 'Money' && typeof record[a.logicalName] === 'number',
  );
  if (hasMoney && table.attributes.has('transactioncurrencyid') && !record['transactioncurrencyid']) {
    record['transactioncurrencyid'] = {
      id: ctx.env.organization.baseCurrencyId,
      entity: 'transactioncurrency',
    } satisfies LookupValue;
    if (table.attributes.has('exchangerate')) record['exchangerate'] = 1;
  }
}

/** statuscode must belong to statecode; a missing one takes the state's default status. */
function resolveStatus(table: TableModel, record: StoredRecord): void {
  const state = table.attributes.get('statecode');
  const status = table.attributes.get('statuscode');
  const stateValue = record['statecode'];
  if (!state || !status || typeof stateValue !== 'number') return;
  const statusValue = record['statuscode'];
  if (typeof statusValue !== 'number') {
    const option = state.options?.find((o) => o.value === stateValue);
    if (option?.defaultStatus !== undefined) record['statuscode'] = option.defaultStatus;
    return;
  }
  const statusOption = status.options?.find((o) => o.value === statusValue);
  if (statusOption?.state !== undefined && statusOption.state !== stateValue) {
    const stateOption = state.options?.find((o) => o.value === stateValue);
    const stateName = stateOption?.invariantName ?? stateOption?.label ?? String(stateValue);
    throw dataverseErrors.stateStatusMismatch(
      table.logicalName,
      `${table.definition.schemaName}State.${stateName}`,
      statusValue,
      String(record[table.primaryIdAttribute]),
    );
  }
}

/** Sets a system column only where the table has it (not every table has createdonbehalfby). */
function stamp(table: TableModel, record: StoredRecord, column: string, value: unknown): void {
  if (table.attributes.has(column)) record[column] = value;
}

function applyCollectionBinds(ctx: OperationContext, self: RecordRef, payload: RecordPayload): void {
  for (const { nav, refs } of payload.collectionBinds) {
    for (const ref of refs) {
      if (ref.table.logicalName !== nav.referencingTable)
        throw dataverseErrors.invalidBind(
          `'${nav.name}' holds ${nav.referencingTable} rows, not ${ref.table.logicalName}.`,
        );
      const row = ctx.tx.get(ref.table.logicalName, ref.id);
      if (!row) throw dataverseErrors.recordNotFound(ref.table.logicalName, ref.id);
      const updated: StoredRecord = {
        ...row,
        [nav.referencingAttribute]: { id: self.id, entity: self.table.logicalName },
      };
      updated['versionnumber'] = ctx.tx.version();
      ctx.tx.put(ref.table.logicalName, ref.id, updated);
    }
  }
}
