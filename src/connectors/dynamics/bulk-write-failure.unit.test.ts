import { describe, expect, it } from 'vitest';
import {
  classifyBulkFailure,
  guidsIn,
  rowError,
  rowsBlamed,
  type RowForDiagnosis,
} from './bulk-write-failure.js';
import { DataverseError } from './dataverse-error.js';
import { errorCodeForStatus } from './dataverse-error-mapping.js';

function answer(status: number, code: string, message: string): DataverseError {
  return new DataverseError(
    errorCodeForStatus(status, code),
    message,
    { code, message },
    { httpStatus: status },
  );
}

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const ACCOUNT = '44444444-4444-4444-8444-444444444444';

describe('classifyBulkFailure', () => {
  it.each([
    [
      429,
      '0x80072322',
      'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
      'request',
    ],
    [500, '0x80040216', 'An unexpected error occurred.', 'request'],
    [503, '', 'Service Unavailable', 'request'],
    [401, '', 'Bearer token expired', 'request'],
    [403, '0x80040220', 'Principal user is missing prvCreateLead privilege', 'request'],
    [412, '0x80040237', 'A record with matching key values already exists.', 'duplicate_key'],
    [400, '0x80040237', 'Cannot insert duplicate key.', 'duplicate_key'],
    [400, '0x80040216', 'Cannot insert duplicate key.', 'duplicate_key'],
    [404, '0x80040217', `lead With Id = ${A} Does Not Exist`, 'not_found'],
    [404, '0x80040217', `Contact With Ids = ${A} Do Not Exist`, 'not_found'],
    [413, '0x8004418A', 'Request too large', 'too_large'],
    [
      400,
      '0x80044331',
      "The length of the 'subject' attribute of the 'lead' entity exceeded the maximum allowed length of '300'.",
      'record',
    ],
    [400, '0x80048d19', "The property 'foo' does not exist on type 'Microsoft.Dynamics.CRM.lead'.", 'record'],
    [
      412,
      '0x80040333',
      'A record was not created or updated because a duplicate of the current record already exists.',
      'record',
    ],
  ] as const)('%i %s "%s" → %s', (status, code, message, kind) => {
    expect(classifyBulkFailure(answer(status, code, message))).toBe(kind);
  });
});

describe('rowsBlamed', () => {
  const rows: RowForDiagnosis[] = [
    {
      id: A,
      values: {
        lastname: 'A',
        subject: 'x'.repeat(301),
        leadsourcecode: 8,
        'parentaccountid@odata.bind': `accounts(${ACCOUNT})`,
      },
    },
    { id: B, values: { lastname: 'B', subject: 'short', leadsourcecode: 99, foo: 1 } },
    {
      id: C,
      values: {
        lastname: null,
        'parentaccountid@odata.bind': `/accounts(${ACCOUNT})`,
        numberofemployees: 'abc',
      },
    },
  ];
  it.each([
    [
      "A validation error occurred.  The length of the 'subject' attribute of the 'lead' entity exceeded the maximum allowed length of '300'.",
      [0],
    ],
    [
      "A validation error occurred.  The value 99 of 'leadsourcecode' on record of type 'lead' is outside the valid range. Accepted Values: 1,2,3",
      [1],
    ],
    [
      "A validation error occurred.  The value 8 of 'leadsourcecode' on record of type 'lead' is outside the valid range of 1 to 5.",
      [0],
    ],
    [
      "Error identified in Payload … ----> InnerException : Microsoft.OData.ODataException: The property 'foo' does not exist on type 'Microsoft.Dynamics.CRM.lead'.",
      [1],
    ],
    ["The 'numberofemployees' attribute of the 'lead' entity is not valid for create.", [2]],
    ["Attribute 'lastname' of 'lead' is SystemRequired and cannot be set to null.", [2]],
    [
      "Microsoft.OData.ODataException: Cannot convert the literal 'abc' to the expected type 'Edm.Int32'.",
      [2],
    ],
    [`5 is not a valid status code for state code LeadState.Open on lead with Id ${B}.`, [1]],
    // A missing row that a bind refers to blames the rows that refer to it.
    [`account With Id = ${ACCOUNT} Does Not Exist`, [0, 2]],
    // A message naming a row's own id blames that row.
    [`lead With Id = ${C} Does Not Exist`, [2]],
    ['A plug-in refused the operation.', undefined],
    [
      "The length of the 'jobtitle' attribute of the 'lead' entity exceeded the maximum allowed length of '100'.",
      undefined,
    ],
  ] as const)('%s', (message, blamed) => {
    const found = rowsBlamed(answer(400, '0x80040203', message), rows);
    expect(found === undefined ? undefined : [...found].sort()).toEqual(blamed);
  });

  it('reads every GUID in a message, in lower case', () => {
    expect([...guidsIn(`Contact With Ids = ${A.toUpperCase()}, ${B} Do Not Exist`)]).toEqual([A, B]);
  });
});

describe('rowError', () => {
  it.each([
    [
      "A validation error occurred.  The length of the 'subject' attribute of the 'lead' entity exceeded the maximum allowed length of '300'.",
      'subject is longer than the 300 characters Dynamics 365 allows on lead.',
    ],
    [
      "A validation error occurred.  The value 99 of 'leadsourcecode' on record of type 'lead' is outside the valid range. Accepted Values: 1,2",
      '99 is not one of the choices of lead.leadsourcecode.',
    ],
    [
      "A validation error occurred.  The value 7000000 of 'numberofemployees' on record of type 'lead' is outside the valid range of 0 to 1000000.",
      'numberofemployees is 7000000, outside the range 0 to 1000000 that Dynamics 365 allows on lead.',
    ],
    [
      "Microsoft.OData.ODataException: The property 'foo' does not exist on type 'Microsoft.Dynamics.CRM.lead'.",
      'lead has no column foo; check the field mapping.',
    ],
    [
      `lead With Id = ${A} Does Not Exist`,
      `The lead ${A} does not exist in Dynamics 365 (it may have been deleted).`,
    ],
  ])('%s', (message, plain) => {
    const error = rowError(answer(400, '0x80044331', message));
    expect(error.message.startsWith(plain)).toBe(true);
    expect(error.message).toContain(`Dataverse said "${message}".`);
    expect(error).toMatchObject({
      code: 'crm_validation_failed',
      retryable: false,
      vendorCode: '0x80044331',
    });
  });

  it('keeps the catalogue code and retryability of the failure', () => {
    expect(rowError(answer(404, '0x80040217', `lead With Id = ${A} Does Not Exist`))).toMatchObject({
      code: 'crm_record_not_found',
      retryable: false,
    });
  });
});
