import { label, managedProperty } from './localized-label.js';
import { metadataId } from './metadata-identity.js';
import type { AlternateKeyDefinition } from './metadata-options.js';
import type { TableModel } from './table-catalog.js';

/**
 * An alternate key as EntityKeyMetadata (`GET EntityDefinitions(LogicalName='contact')/Keys`,
 * MSDocs define-alternate-keys-entity.md). Keys configured in the emulator are active at once; a real
 * environment builds the index asynchronously (`EntityKeyIndexStatus` Pending → Active).
 */
export type EntityKeyMetadata = Readonly<Record<string, unknown>> & {
  readonly MetadataId: string;
  readonly LogicalName: string;
};

export const ENTITY_KEY_PROPERTIES: ReadonlySet<string> = new Set([
  'Description',
  'DisplayName',
  'EntityKeyIndexStatus',
  'EntityLogicalName',
  'HasChanged',
  'IntroducedVersion',
  'IsCustomizable',
  'IsManaged',
  'IsSynchronous',
  'KeyAttributes',
  'LogicalName',
  'MetadataId',
  'SchemaName',
]);

export function buildEntityKeyMetadata(table: TableModel, key: AlternateKeyDefinition): EntityKeyMetadata {
  const logicalName = key.name.toLowerCase();
  return {
    Description: label(undefined),
    DisplayName: label(key.name, 'key', table.logicalName, logicalName),
    EntityKeyIndexStatus: 'Active',
    EntityLogicalName: table.logicalName,
    HasChanged: null,
    IntroducedVersion: '1.0',
    IsCustomizable: managedProperty(true, 'iscustomizable'),
    // Keys the emulator is configured with stand for keys a customer adds: unmanaged.
    IsManaged: false,
    IsSynchronous: true,
    KeyAttributes: [...key.keyAttributes],
    LogicalName: logicalName,
    MetadataId: metadataId('key', table.logicalName, logicalName),
    SchemaName: key.name,
  };
}
