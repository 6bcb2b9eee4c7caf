import { DataverseError } from '../errors.js';

/**
 * Errors only the metadata endpoints answer. Their codes and messages are the metadata cache's own, as
 * Dataverse returns them for unknown tables and columns (code 0x80041102 QueryBuilderNoEntity and
 * 0x80041103 QueryBuilderNoAttribute; messages as quoted in public issue threads, e.g.
 * MscrmTools/XrmToolBox#1014). The Web API answers them with 404. Kept beside the metadata handlers until
 * they move into the shared error factory (../errors.ts, owned elsewhere).
 */
export const metadataErrors = {
  unknownTable: (logicalName: string) =>
    new DataverseError(
      404,
      '0x80041102',
      `The entity with a name = '${logicalName}' with namemapping = 'Logical' was not found in the MetadataCache.`,
    ),
  // No capture of the by-id message was found; this follows the by-name one.
  unknownTableId: (metadataId: string) =>
    new DataverseError(
      404,
      '0x80041102',
      `The entity with id = '${metadataId}' was not found in the MetadataCache.`,
    ),
  unknownAttribute: (table: string, logicalName: string) =>
    new DataverseError(
      404,
      '0x80041103',
      `'${table}' entity doesn't contain attribute with Name = '${logicalName}' and NameMapping = 'Logical'.`,
    ),
  unknownAttributeId: (table: string, metadataId: string) =>
    new DataverseError(
      404,
      '0x80041103',
      `'${table}' entity doesn't contain attribute with Id = '${metadataId}'.`,
    ),
  // Unverified wording: no public capture of this 404 was found.
  unknownOptionSet: (name: string) =>
    new DataverseError(404, '0x80040217', `An OptionSet with the name '${name}' could not be found.`),
  unknownKey: (table: string, key: string) =>
    new DataverseError(404, '0x80040217', `The entity key '${key}' was not found on the entity '${table}'.`),
} as const;
