/**
 * One factory for every error the emulator answers, keyed by Dataverse's own codes and messages
 * (protocols/dataverse.md §1.11). Handlers throw these; the dispatcher turns them into responses.
 */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'DataverseError';
  }
}

const type = (entity: string) => `Microsoft.Dynamics.CRM.${entity}`;

/** Payload errors carry this prefix in the real service (code 0x80048d19). */
const payloadError = (entitySet: string, inner: string) =>
  new DataverseError(
    400,
    '0x80048d19',
    `Error identified in Payload provided by the user for Entity :'${entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: ${inner}`,
  );

export const dataverseErrors = {
  recordNotFound: (entity: string, id: string) =>
    new DataverseError(404, '0x80040217', `${entity} With Id = ${id} Does Not Exist`),
  recordNotFoundByKey: (entity: string) =>
    new DataverseError(
      404,
      '0x80060891',
      `A record with the specified key values does not exist in ${entity} entity`,
    ),
  duplicateKey: () =>
    new DataverseError(412, '0x80040237', 'A record with matching key values already exists.'),
  concurrencyMismatch: () =>
    new DataverseError(
      412,
      '0x80060882',
      "The version of the existing record doesn't match the RowVersion property provided.",
    ),
  /** DuplicateRecordsFound, in the service's words: which rule fired is not part of the message. */
  duplicateDetected: () =>
    new DataverseError(
      412,
      '0x80040333',
      'A record was not created or updated because a duplicate of the current record already exists.',
    ),
  resourceNotFound: (segment: string) =>
    new DataverseError(404, '0x80060888', `Resource not found for the segment '${segment}'.`),
  invalidKey: (entity: string) =>
    new DataverseError(
      400,
      '0x80060888',
      `The key in the request URI is not valid for resource '${type(entity)}'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource '${type(entity)}'.`,
    ),
  unknownQueryProperty: (entity: string, name: string) =>
    new DataverseError(
      400,
      '0x80060888',
      `Could not find a property named '${name}' on type '${type(entity)}'.`,
    ),
  queryOptionNotSupported: (option: string) =>
    new DataverseError(400, '0x80060888', `The query parameter ${option} is not supported`),
  invalidQuery: (message: string) => new DataverseError(400, '0x80060888', message),
  changeTrackingOption: (option: string) =>
    new DataverseError(
      400,
      '0x80060888',
      `The "${option}" query parameter isn't supported when Change Tracking is enabled.`,
    ),
  invalidJson: (entitySet: string, detail: string) => payloadError(entitySet, detail),
  unknownPayloadProperty: (entitySet: string, entity: string, name: string) =>
    payloadError(
      entitySet,
      `The property '${name}' does not exist on type '${type(entity)}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    ),
  invalidPayloadValue: (entitySet: string, literal: string, edmType: string) =>
    payloadError(entitySet, `Cannot convert the literal '${literal}' to the expected type '${edmType}'.`),
  maxLengthExceeded: (entity: string, attribute: string, max: number) =>
    new DataverseError(
      400,
      '0x80044331',
      `A validation error occurred.  The length of the '${attribute}' attribute of the '${entity}' entity exceeded the maximum allowed length of '${max}'.`,
    ),
  valueOutOfRange: (entity: string, attribute: string, value: number, min: number, max: number) =>
    new DataverseError(
      400,
      '0x80044330',
      `A validation error occurred.  The value ${value} of '${attribute}' on record of type '${entity}' is outside the valid range of ${min} to ${max}.`,
    ),
  picklistOutOfRange: (entity: string, attribute: string, value: number, accepted: readonly number[]) =>
    new DataverseError(
      400,
      '0x8004431A',
      `A validation error occurred.  The value ${value} of '${attribute}' on record of type '${entity}' is outside the valid range. Accepted Values: ${accepted.join(',')}`,
    ),
  /** The platform names the state by its enum, e.g. `LeadState.Open`, and the row by its id. */
  stateStatusMismatch: (entity: string, stateEnum: string, status: number, id: string) =>
    new DataverseError(
      400,
      '0x80040203',
      `${status} is not a valid status code for state code ${stateEnum} on ${entity} with Id ${id}.`,
    ),
  notValidFor: (operation: 'create' | 'update', entity: string, attribute: string) =>
    new DataverseError(
      400,
      '0x80040203',
      `The '${attribute}' attribute of the '${entity}' entity is not valid for ${operation}.`,
    ),
  requiredAttribute: (entity: string, attribute: string) =>
    new DataverseError(
      400,
      '0x80040203',
      `Attribute '${attribute}' of '${entity}' is SystemRequired and cannot be set to null.`,
    ),
  invalidBind: (message: string) => new DataverseError(400, '0x80060888', message),
  invalidArgument: (message: string) => new DataverseError(400, '0x80040203', message),
  methodNotAllowed: (method: string, path: string) =>
    new DataverseError(
      405,
      '0x80060888',
      `The HTTP method '${method}' is not allowed for the resource '${path}'.`,
    ),
  readOnlyTable: (entity: string, operation: string) =>
    new DataverseError(
      405,
      '0x80040227',
      `The '${operation}' method does not support entities of type '${entity}'.`,
    ),
  notImplemented: (feature: string) =>
    new DataverseError(
      501,
      '0x8006088a',
      `The Leadbridge Dataverse emulator does not implement ${feature}. See docs/emulators/dataverse.md for what it covers.`,
    ),
  payloadTooLarge: (limit: number) =>
    new DataverseError(
      413,
      '0x8004418A',
      `The request body exceeds the maximum allowed size of ${limit} bytes.`,
    ),
  unsupportedMediaType: (contentType: string) =>
    new DataverseError(
      415,
      '0x80060888',
      `The content type '${contentType}' is not supported. Only application/json is supported by the Web API.`,
    ),
  notMemberOfOrganization: () =>
    new DataverseError(403, '0x80072560', 'The user is not a member of the organization.'),
  internal: (message: string) =>
    new DataverseError(500, '0x80040216', `An unexpected error occurred: ${message}`),
} as const;

export type DataverseErrorFactory = typeof dataverseErrors;
