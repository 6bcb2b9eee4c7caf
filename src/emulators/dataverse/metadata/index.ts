/** What the rest of the Dataverse emulator may use from the metadata folder. */
export { TableCatalog } from './table-catalog.js';
export type { CollectionNavigation, SingleNavigation, TableModel } from './table-catalog.js';
export type { AttributeDefinition, AttributeType, TableDefinition } from './table-definition.js';
export { buildCsdl } from './csdl-document.js';
export { buildServiceDocument, type ServiceDocument } from './service-document.js';
export { handleEntityDefinitions } from './entity-definitions-handler.js';
export { handleGlobalOptionSetDefinitions } from './global-option-set-handler.js';
export type { AlternateKeyDefinition, MetadataOptions } from './metadata-options.js';
export { edmTypeOf } from './attribute-kind.js';
export { describedLookup, webApiProperties, type WebApiProperty } from './web-api-properties.js';
