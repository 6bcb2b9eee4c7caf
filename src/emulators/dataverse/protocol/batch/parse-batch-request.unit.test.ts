import { describe, expect, it } from 'vitest';
import { BatchFormatError } from './batch-format-error.js';
import type { BatchOperation, BatchRequest } from './batch-request.js';
import { parseBatchRequest } from './parse-batch-request.js';

const SERVICE_ROOT = new URL('https://127.0.0.1:8443/api/data/v9.2/');
const ORG = 'https://127.0.0.1:8443';

const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

/** Compact, comparable view of an operation: `METHOD target [#contentId]`. */
function describeOperation(operation: BatchOperation): string {
  const target =
    operation.target.kind === 'url' ? operation.target.url.href : `<ref ${operation.target.raw}>`;
  return `${operation.method} ${target}${operation.contentId === undefined ? '' : ` #${operation.contentId}`}`;
}

type Shape = string | string[];

function shapeOf(request: BatchRequest): Shape[] {
  return request.items.map((item) =>
    item.kind === 'operation' ? describeOperation(item.operation) : item.operations.map(describeOperation),
  );
}

function operations(request: BatchRequest): BatchOperation[] {
  return request.items.flatMap((item) =>
    item.kind === 'operation' ? [item.operation] : [...item.operations],
  );
}

// MSDocs execute-batch-operations-using-web-api.md, "Batch requests" (quoted in docs/protocols/dataverse.md §3).
const DOC_BATCH = `--batch_80dd1615-2a10-428a-bb6f-0e559792721f
Content-Type: application/http
Content-Transfer-Encoding: binary

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json; type=entry

{
  "subject": "Task 1 in batch",
  "regardingobjectid_account_task@odata.bind": "accounts(00000000-0000-0000-0000-000000000001)"
}
--batch_80dd1615-2a10-428a-bb6f-0e559792721f
Content-Type: application/http
Content-Transfer-Encoding: binary

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json; type=entry

{
  "subject": "Task 2 in batch",
  "regardingobjectid_account_task@odata.bind": "accounts(00000000-0000-0000-0000-000000000001)"
}
--batch_80dd1615-2a10-428a-bb6f-0e559792721f
Content-Type: application/http
Content-Transfer-Encoding: binary

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json; type=entry

{
  "subject": "Task 3 in batch",
  "regardingobjectid_account_task@odata.bind": "accounts(00000000-0000-0000-0000-000000000001)"
}
--batch_80dd1615-2a10-428a-bb6f-0e559792721f
Content-Type: application/http
Content-Transfer-Encoding: binary

GET /api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)/Account_Tasks?$select=subject HTTP/1.1


--batch_80dd1615-2a10-428a-bb6f-0e559792721f--

`;
const DOC_BATCH_CT = 'multipart/mixed; boundary="batch_80dd1615-2a10-428a-bb6f-0e559792721f"';

// MSDocs, "Change sets".
const DOC_CHANGESET = `--batch_22975cad-7f57-410d-be15-6363209367ea
Content-Type: multipart/mixed; boundary="changeset_246e6bfe-89a4-4c77-b293-7a433f082e8a"

--changeset_246e6bfe-89a4-4c77-b293-7a433f082e8a
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json; type=entry

{
  "subject": "Task 1 in batch",
  "regardingobjectid_account_task@odata.bind": "accounts(00000000-0000-0000-0000-000000000001)"
}
--changeset_246e6bfe-89a4-4c77-b293-7a433f082e8a
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json; type=entry

{
  "subject": "Task 2 in batch",
  "regardingobjectid_account_task@odata.bind": "accounts(00000000-0000-0000-0000-000000000001)"
}
--changeset_246e6bfe-89a4-4c77-b293-7a433f082e8a
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 3

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json; type=entry

{
  "subject": "Task 3 in batch",
  "regardingobjectid_account_task@odata.bind": "accounts(00000000-0000-0000-0000-000000000001)"
}
--changeset_246e6bfe-89a4-4c77-b293-7a433f082e8a--

--batch_22975cad-7f57-410d-be15-6363209367ea
Content-Type: application/http
Content-Transfer-Encoding: binary

GET /api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)/Account_Tasks?$select=subject HTTP/1.1


--batch_22975cad-7f57-410d-be15-6363209367ea--

`;
const DOC_CHANGESET_CT = 'multipart/mixed; boundary="batch_22975cad-7f57-410d-be15-6363209367ea"';

// MSDocs, "Reference URIs in request body" ([Organization URI] replaced by a concrete host).
const DOC_BODY_REFERENCES = `--batch_AAA123
Content-Type: multipart/mixed; boundary=changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

POST ${ORG}/api/data/v9.2/leads HTTP/1.1
Content-Type: application/json

{
    "firstname":"first name",
    "lastname":"last name"
}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

POST ${ORG}/api/data/v9.2/contacts HTTP/1.1
Content-Type: application/json

{"firstname":"first name"}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 3

POST ${ORG}/api/data/v9.2/accounts HTTP/1.1
Content-Type: application/json

{
    "name":"IcM Account",
    "originatingleadid@odata.bind":"$1",
    "primarycontactid@odata.bind":"$2"
}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab--
--batch_AAA123--
`;

// MSDocs, "Reference URI in request URL" (note the swapped MIME header order in part 2).
const DOC_URL_REFERENCE = `--batch_AAA123
Content-Type: multipart/mixed; boundary=changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

POST ${ORG}/api/data/v9.2/contacts HTTP/1.1
Content-Type: application/json

{
  "firstname":"First Name",
  "lastname":"Last name"
}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Transfer-Encoding: binary
Content-Type: application/http
Content-ID: 2

PUT $1/lastname HTTP/1.1
Content-Type: application/json

{
  "value":"BBBBB"
}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab--
--batch_AAA123--
`;

// MSDocs, "Reference URIs in URL and request body using @odata.id" (no spaces after the colons).
const DOC_ODATA_ID = `--batch_AAA123
Content-Type: multipart/mixed; boundary=changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Type:application/http
Content-Transfer-Encoding:binary
Content-ID:1

POST ${ORG}/api/data/v9.2/accounts HTTP/1.1
Content-Type: application/json

{ "name":"Account Name"}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Type:application/http
Content-Transfer-Encoding:binary
Content-ID:2

POST ${ORG}/api/data/v9.2/contacts HTTP/1.1
Content-Type:application/json

{ "firstname":"Contact first name"}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Type:application/http
Content-Transfer-Encoding:binary
Content-ID:3

PUT $1/primarycontactid/$ref HTTP/1.1
Content-Type:application/json

{"@odata.id":"$2"}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab--
--batch_AAA123--
`;

// MSDocs, "Reference URIs in URL and navigation properties".
const DOC_PATCH_REFERENCE = `--batch_AAA123
Content-Type: multipart/mixed; boundary=changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

POST ${ORG}/api/data/v9.2/accounts HTTP/1.1
Content-Type: application/json

{ "name":"Account name"}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

POST ${ORG}/api/data/v9.2/contacts HTTP/1.1
Content-Type: application/json

{
  "firstname":"Contact first name"
}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 3

PATCH $1 HTTP/1.1
Content-Type: application/json

{
  "primarycontactid@odata.bind":"$2"
}

--changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab--
--batch_AAA123--
`;

// MSDocs, "Handling errors" example: parts carry a Content-Length the parser must simply ignore.
const DOC_CONTINUE_ON_ERROR = `--batch_662d4610-7f12-4895-ac4a-3fdf77cc10a1
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-Length: 439

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json; type=entry

{
  "subject": "Subject is too long",
  "regardingobjectid_account_task@odata.bind": "accounts(00000000-0000-0000-0000-000000000001)"
}
--batch_662d4610-7f12-4895-ac4a-3fdf77cc10a1
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-Length: 250

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json; type=entry

{
  "subject": "Task 2 in batch",
  "regardingobjectid_account_task@odata.bind": "accounts(00000000-0000-0000-0000-000000000001)"
}
--batch_662d4610-7f12-4895-ac4a-3fdf77cc10a1--

`;

/**
 * The exact bytes DynamicsWebApi 2.5.0 (node_modules/dynamics-web-api, `convertToBatch`) sent for
 * `startBatch(); retrieveMultiple(leads); create(leads, contentId '1'); create(tasks, bind '$1');
 * update(leads(guid), ifmatch); update(contentId '$1'); executeBatch()` — captured from a local server.
 * Note the leading CRLF, `multipart/mixed;boundary=` without a space, no blank line after the GET's
 * headers, auto-numbered Content-IDs from 100001, and a blank line after the change-set close delimiter.
 */
const DWA_BOUNDARY = 'dwa_batch_be1cf2e2-22f8-4868-b33f-b27340de2034';
const DWA_CT = `multipart/mixed;boundary=${DWA_BOUNDARY}`;
const DWA_BODY =
  '\r\n--dwa_batch_be1cf2e2-22f8-4868-b33f-b27340de2034\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET http://127.0.0.1:43003/api/data/v9.2/leads?$select=fullname&$top=2 HTTP/1.1\r\nAccept: application/json\r\n\r\n--dwa_batch_be1cf2e2-22f8-4868-b33f-b27340de2034\r\nContent-Type: multipart/mixed;boundary=changeset_c7c0dbe8-65f1-4832-9468-dcf2f62cd215\r\n\r\n--changeset_c7c0dbe8-65f1-4832-9468-dcf2f62cd215\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 1\r\n\r\nPOST http://127.0.0.1:43003/api/data/v9.2/leads HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{"firstname":"Ada","lastname":"Lovelace"}\r\n\r\n--changeset_c7c0dbe8-65f1-4832-9468-dcf2f62cd215\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 100001\r\n\r\nPOST http://127.0.0.1:43003/api/data/v9.2/tasks HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{"subject":"Follow up","regardingobjectid_lead_task@odata.bind":"$1"}\r\n\r\n--changeset_c7c0dbe8-65f1-4832-9468-dcf2f62cd215\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 100002\r\n\r\nPATCH http://127.0.0.1:43003/api/data/v9.2/leads(00000000-0000-0000-0000-000000000001) HTTP/1.1\r\nContent-Type: application/json\r\nIf-Match: W/"123"\r\n\r\n{"subject":"x"}\r\n\r\n--changeset_c7c0dbe8-65f1-4832-9468-dcf2f62cd215\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: 100003\r\n\r\nPATCH $1 HTTP/1.1\r\nContent-Type: application/json\r\nIf-Match: *\r\n\r\n{"lastname":"Byron"}\r\n\r\n--changeset_c7c0dbe8-65f1-4832-9468-dcf2f62cd215--\r\n\r\n--dwa_batch_be1cf2e2-22f8-4868-b33f-b27340de2034--\r\n';

const DOC_BATCH_SHAPE: Shape[] = [
  `POST ${ORG}/api/data/v9.2/tasks`,
  `POST ${ORG}/api/data/v9.2/tasks`,
  `POST ${ORG}/api/data/v9.2/tasks`,
  `GET ${ORG}/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)/Account_Tasks?$select=subject`,
];

const DWA_SHAPE: Shape[] = [
  'GET http://127.0.0.1:43003/api/data/v9.2/leads?$select=fullname&$top=2',
  [
    'POST http://127.0.0.1:43003/api/data/v9.2/leads #1',
    'POST http://127.0.0.1:43003/api/data/v9.2/tasks #100001',
    'PATCH http://127.0.0.1:43003/api/data/v9.2/leads(00000000-0000-0000-0000-000000000001) #100002',
    'PATCH <ref $1> #100003',
  ],
];

describe('parseBatchRequest — real request texts', () => {
  const cases: Array<{ name: string; contentType: string; body: string; shape: Shape[] }> = [
    {
      name: 'MSDocs batch, LF as printed',
      contentType: DOC_BATCH_CT,
      body: DOC_BATCH,
      shape: DOC_BATCH_SHAPE,
    },
    {
      name: 'MSDocs batch, CRLF on the wire',
      contentType: DOC_BATCH_CT,
      body: crlf(DOC_BATCH),
      shape: DOC_BATCH_SHAPE,
    },
    {
      name: 'MSDocs change set',
      contentType: DOC_CHANGESET_CT,
      body: crlf(DOC_CHANGESET),
      shape: [
        [
          `POST ${ORG}/api/data/v9.2/tasks #1`,
          `POST ${ORG}/api/data/v9.2/tasks #2`,
          `POST ${ORG}/api/data/v9.2/tasks #3`,
        ],
        `GET ${ORG}/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)/Account_Tasks?$select=subject`,
      ],
    },
    {
      name: 'MSDocs $n references in bodies',
      contentType: 'multipart/mixed;boundary=batch_AAA123',
      body: crlf(DOC_BODY_REFERENCES),
      shape: [
        [
          `POST ${ORG}/api/data/v9.2/leads #1`,
          `POST ${ORG}/api/data/v9.2/contacts #2`,
          `POST ${ORG}/api/data/v9.2/accounts #3`,
        ],
      ],
    },
    {
      name: 'MSDocs $1 in the request line',
      contentType: 'multipart/mixed;boundary=batch_AAA123',
      body: crlf(DOC_URL_REFERENCE),
      shape: [[`POST ${ORG}/api/data/v9.2/contacts #1`, 'PUT <ref $1/lastname> #2']],
    },
    {
      name: 'MSDocs @odata.id reference, no space after colons',
      contentType: 'multipart/mixed;boundary=batch_AAA123',
      body: crlf(DOC_ODATA_ID),
      shape: [
        [
          `POST ${ORG}/api/data/v9.2/accounts #1`,
          `POST ${ORG}/api/data/v9.2/contacts #2`,
          'PUT <ref $1/primarycontactid/$ref> #3',
        ],
      ],
    },
    {
      name: 'MSDocs PATCH $1',
      contentType: 'multipart/mixed;boundary=batch_AAA123',
      body: crlf(DOC_PATCH_REFERENCE),
      shape: [
        [
          `POST ${ORG}/api/data/v9.2/accounts #1`,
          `POST ${ORG}/api/data/v9.2/contacts #2`,
          'PATCH <ref $1> #3',
        ],
      ],
    },
    {
      name: 'MSDocs continue-on-error example with Content-Length part headers',
      contentType: 'multipart/mixed; boundary="batch_662d4610-7f12-4895-ac4a-3fdf77cc10a1"',
      body: crlf(DOC_CONTINUE_ON_ERROR),
      shape: [`POST ${ORG}/api/data/v9.2/tasks`, `POST ${ORG}/api/data/v9.2/tasks`],
    },
    { name: 'DynamicsWebApi 2.5 capture (CRLF)', contentType: DWA_CT, body: DWA_BODY, shape: DWA_SHAPE },
    {
      name: 'DynamicsWebApi body with bare LF line endings',
      contentType: DWA_CT,
      body: DWA_BODY.replace(/\r\n/g, '\n'),
      shape: DWA_SHAPE,
    },
    {
      name: 'mixed CRLF and LF in one body',
      contentType: DWA_CT,
      body: DWA_BODY.split('\r\n')
        .map((line, i) => (i % 2 === 0 ? `${line}\n` : `${line}\r\n`))
        .join(''),
      shape: DWA_SHAPE,
    },
  ];

  it.each(cases)('$name', ({ contentType, body, shape }) => {
    expect(shapeOf(parseBatchRequest(contentType, body, SERVICE_ROOT))).toEqual(shape);
  });

  it('keeps inner headers lower-cased and bodies without the delimiter line break', () => {
    const request = parseBatchRequest(DWA_CT, DWA_BODY, SERVICE_ROOT);
    const [get, patch] = [operations(request)[0], operations(request)[3]];
    expect(get?.headers).toEqual({ accept: 'application/json' });
    expect(get?.body).toBe('');
    expect(patch?.headers).toEqual({ 'content-type': 'application/json', 'if-match': 'W/"123"' });
    expect(patch?.body).toBe('{"subject":"x"}');
  });

  it('represents a $n request line as an unresolved reference', () => {
    const request = parseBatchRequest(
      'multipart/mixed;boundary=batch_AAA123',
      crlf(DOC_URL_REFERENCE),
      SERVICE_ROOT,
    );
    expect(operations(request)[1]?.target).toEqual({
      kind: 'reference',
      contentId: '1',
      rest: '/lastname',
      raw: '$1/lastname',
    });
    expect(operations(request)[1]?.body).toBe('{\r\n  "value":"BBBBB"\r\n}');
  });

  it('returns multi-line JSON bodies verbatim', () => {
    const request = parseBatchRequest(DOC_BATCH_CT, crlf(DOC_BATCH), SERVICE_ROOT);
    expect(JSON.parse(operations(request)[0]?.body ?? '')).toEqual({
      subject: 'Task 1 in batch',
      'regardingobjectid_account_task@odata.bind': 'accounts(00000000-0000-0000-0000-000000000001)',
    });
  });
});

/** Builds a batch from `parts` (already-formatted part contents) with boundary `b`. */
function batchOf(parts: string[], eol = '\r\n'): string {
  return parts.map((part) => `--b${eol}${part}${eol}`).join('') + `--b--${eol}`;
}

const part = (requestLine: string, extra = ''): string =>
  `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n${extra}\r\n${requestLine}\r\n\r\n`;

const changeSet = (parts: string[], boundary = 'cs'): string =>
  `Content-Type: multipart/mixed; boundary=${boundary}\r\n\r\n` +
  parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') +
  `--${boundary}--`;

describe('parseBatchRequest — leniency', () => {
  const cases: Array<{ name: string; contentType: string; body: string; shape: Shape[] }> = [
    {
      name: 'unquoted boundary with spaces around the parameter',
      contentType: 'multipart/mixed ;  boundary = b ',
      body: batchOf([part('GET leads HTTP/1.1')]),
      shape: [`GET ${ORG}/api/data/v9.2/leads`],
    },
    {
      name: 'quoted boundary containing a space and an escaped quote',
      contentType: 'Multipart/Mixed; charset=utf-8; BOUNDARY="b x\\"y"',
      body: `--b x"y\r\n${part('GET leads HTTP/1.1')}\r\n--b x"y--`,
      shape: [`GET ${ORG}/api/data/v9.2/leads`],
    },
    {
      name: 'absolute, server-relative and service-root-relative request lines',
      contentType: 'multipart/mixed; boundary=b',
      body: batchOf([
        part('GET https://contoso.crm.dynamics.com/api/data/v9.2/leads HTTP/1.1'),
        part('GET /api/data/v9.0/leads?$top=1 HTTP/1.1'),
        part('GET leads(00000000-0000-0000-0000-000000000001)?$select=fullname HTTP/1.1'),
        part("GET contacts(emailaddress1='a@b.c') HTTP/1.1"),
        part('GET $metadata HTTP/1.1'),
      ]),
      shape: [
        'GET https://contoso.crm.dynamics.com/api/data/v9.2/leads',
        `GET ${ORG}/api/data/v9.0/leads?$top=1`,
        `GET ${ORG}/api/data/v9.2/leads(00000000-0000-0000-0000-000000000001)?$select=fullname`,
        `GET ${ORG}/api/data/v9.2/contacts(emailaddress1='a@b.c')`,
        `GET ${ORG}/api/data/v9.2/$metadata`,
      ],
    },
    {
      name: 'Content-Transfer-Encoding:binary without space, missing transfer encoding, lower-case method',
      contentType: 'multipart/mixed; boundary=b',
      body: batchOf([
        'Content-Type:application/http\r\nContent-Transfer-Encoding:binary\r\n\r\nGET leads HTTP/1.1\r\n\r\n',
        'Content-Type: application/http\r\n\r\ndelete leads(1) http/1.1\r\n',
      ]),
      shape: [`GET ${ORG}/api/data/v9.2/leads`, `DELETE ${ORG}/api/data/v9.2/leads(1)`],
    },
    {
      name: 'extra blank lines before part headers, before the request line and before delimiters',
      contentType: 'multipart/mixed; boundary=b',
      body:
        '--b\r\n\r\n\r\nContent-Type: application/http\r\n\r\n\r\n\r\nPOST leads HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n\r\n\r\n\r\n' +
        '--b\r\n' +
        part('GET leads HTTP/1.1') +
        '\r\n\r\n--b--',
      shape: [`POST ${ORG}/api/data/v9.2/leads`, `GET ${ORG}/api/data/v9.2/leads`],
    },
    {
      name: 'preamble, epilogue, missing final CRLF, trailing whitespace on delimiters',
      contentType: 'multipart/mixed; boundary=b',
      body: `This is a preamble.\r\n--b  \r\n${part('GET leads HTTP/1.1')}\r\n--b-- \t\r\nepilogue text\r\n--b\r\nignored`,
      shape: [`GET ${ORG}/api/data/v9.2/leads`],
    },
    {
      name: 'no blank line between the MIME headers and the request line',
      contentType: 'multipart/mixed; boundary=b',
      body: batchOf(['Content-Type: application/http\r\nGET http://x.test/api/data/v9.2/leads HTTP/1.1']),
      shape: ['GET http://x.test/api/data/v9.2/leads'],
    },
    {
      name: 'a line that merely starts with the boundary is content, not a delimiter',
      contentType: 'multipart/mixed; boundary=b',
      body: batchOf(['Content-Type: application/http\r\n\r\nPOST leads HTTP/1.1\r\n\r\n--bx\r\n--b-\r\n']),
      shape: [`POST ${ORG}/api/data/v9.2/leads`],
    },
    {
      name: 'Content-ID in the inner request headers',
      contentType: 'multipart/mixed; boundary=b',
      body: batchOf([
        changeSet([
          'Content-Type: application/http\r\n\r\nPOST leads HTTP/1.1\r\nContent-ID: 7\r\n\r\n{}',
          'Content-Type: application/http\r\n\r\nPATCH $7 HTTP/1.1\r\n\r\n{}',
        ]),
      ]),
      shape: [[`POST ${ORG}/api/data/v9.2/leads #7`, 'PATCH <ref $7>']],
    },
    {
      name: 'empty batch and empty change set',
      contentType: 'multipart/mixed; boundary=b',
      body: batchOf([changeSet([])]),
      shape: [[]],
    },
    {
      name: 'the same Content-ID in two different change sets',
      contentType: 'multipart/mixed; boundary=b',
      body: batchOf([
        changeSet([part('POST leads HTTP/1.1', 'Content-ID: 1\r\n')], 'cs1'),
        changeSet([part('POST leads HTTP/1.1', 'Content-ID: 1\r\n'), part('PATCH $1 HTTP/1.1')], 'cs2'),
      ]),
      shape: [
        [`POST ${ORG}/api/data/v9.2/leads #1`],
        [`POST ${ORG}/api/data/v9.2/leads #1`, 'PATCH <ref $1>'],
      ],
    },
    {
      name: 'service root without a trailing slash still resolves relative lines under it',
      contentType: 'multipart/mixed; boundary=b',
      body: batchOf([part('GET leads HTTP/1.1')]),
      shape: [`GET ${ORG}/api/data/v9.2/leads`],
    },
  ];

  it.each(cases)('$name', ({ name, contentType, body, shape }) => {
    const root = name.startsWith('service root without') ? new URL(`${ORG}/api/data/v9.2`) : SERVICE_ROOT;
    expect(shapeOf(parseBatchRequest(contentType, body, root))).toEqual(shape);
  });

  it('joins repeated inner headers and unfolds continuation lines', () => {
    const body = batchOf([
      'Content-Type: application/http\r\n\r\nGET leads HTTP/1.1\r\nPrefer: odata.maxpagesize=2\r\nPrefer: odata.include-annotations="*"\r\nX-Long: a\r\n  b\r\n\r\n',
    ]);
    const [operation] = operations(parseBatchRequest('multipart/mixed; boundary=b', body, SERVICE_ROOT));
    expect(operation?.headers).toEqual({
      prefer: 'odata.maxpagesize=2, odata.include-annotations="*"',
      'x-long': 'a b',
    });
  });

  it('accepts exactly 1000 operations', () => {
    const body = batchOf(Array.from({ length: 1000 }, () => part('GET leads HTTP/1.1')));
    expect(parseBatchRequest('multipart/mixed; boundary=b', body, SERVICE_ROOT).items).toHaveLength(1000);
  });
});

describe('parseBatchRequest — errors', () => {
  const ct = 'multipart/mixed; boundary=b';
  const cases: Array<{ name: string; contentType: string; body: string; message: string | RegExp }> = [
    {
      name: 'no boundary parameter',
      contentType: 'multipart/mixed',
      body: batchOf([part('GET leads HTTP/1.1')]),
      message: /does not include a batch boundary or includes more than one boundary/,
    },
    {
      name: 'empty boundary',
      contentType: 'multipart/mixed; boundary=""',
      body: '----\r\n',
      message: /The boundary delimiter '' is invalid/,
    },
    {
      name: 'two boundary parameters',
      contentType: 'multipart/mixed; boundary=a; boundary=b',
      body: batchOf([part('GET leads HTTP/1.1')]),
      message: /includes more than one boundary/,
    },
    {
      name: 'boundary longer than 70 characters',
      contentType: `multipart/mixed; boundary=${'x'.repeat(71)}`,
      body: '',
      message: /maximum of 70 characters/,
    },
    {
      name: 'unterminated quoted boundary',
      contentType: 'multipart/mixed; boundary="b',
      body: batchOf([part('GET leads HTTP/1.1')]),
      message: /is not valid for a batch payload/,
    },
    {
      name: 'outer content type is not multipart/mixed',
      contentType: 'application/json',
      body: '{}',
      message: /The content type 'application\/json' is not valid for a batch payload/,
    },
    {
      name: 'boundary never appears in the body',
      contentType: ct,
      body: 'just some text',
      message: /does not contain the boundary delimiter '--b'/,
    },
    {
      name: 'missing closing delimiter',
      contentType: ct,
      body: `--b\r\n${part('GET leads HTTP/1.1')}`,
      message: /missing its closing delimiter '--b--'/,
    },
    {
      name: 'change set missing its closing delimiter',
      contentType: ct,
      body: `--b\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\n${part('POST leads HTTP/1.1')}\r\n--b--`,
      message: /change set is missing its closing delimiter '--cs--'/,
    },
    {
      name: 'part that is not application/http',
      contentType: ct,
      body: batchOf(['Content-Type: text/plain\r\n\r\nhello']),
      message: /The 'Content-Type' header value 'text\/plain' is invalid/,
    },
    {
      name: 'part without Content-Type',
      contentType: ct,
      body: batchOf(['Content-Transfer-Encoding: binary\r\n\r\nGET leads HTTP/1.1']),
      message: /The 'Content-Type' header is missing/,
    },
    {
      name: 'base64 transfer encoding',
      contentType: ct,
      body: batchOf([part('GET leads HTTP/1.1').replace('binary', 'base64')]),
      message: /invalid 'Content-Transfer-Encoding' header/,
    },
    {
      name: 'request line without HTTP version',
      contentType: ct,
      body: batchOf([part('GET leads')]),
      message:
        "The request line 'GET leads' is invalid. The request line at the start of each operation must be of the format 'HttpMethod RequestUrl HttpVersion'.",
    },
    {
      name: 'request line with a space inside the URL',
      contentType: ct,
      body: batchOf([part('POST [Organization URI]/api/data/v9.2/leads HTTP/1.1')]),
      message: /The request line 'POST \[Organization URI\]\/api\/data\/v9.2\/leads HTTP\/1.1' is invalid/,
    },
    {
      name: 'request line with an unsupported HTTP version',
      contentType: ct,
      body: batchOf([part('GET leads HTTP/2')]),
      message:
        "The HTTP version 'HTTP/2' used in a batch operation request or response is not valid. The value must be 'HTTP/1.1'.",
    },
    {
      name: 'request line with a non-alphabetic method',
      contentType: ct,
      body: batchOf([part('G3T leads HTTP/1.1')]),
      message: /The request line 'G3T leads HTTP\/1.1' is invalid/,
    },
    {
      name: 'operation without any request line',
      contentType: ct,
      body: batchOf(['Content-Type: application/http\r\n\r\n\r\n']),
      message: /A batch operation has no request line/,
    },
    {
      name: 'absolute URL that does not parse',
      contentType: ct,
      body: batchOf([part('GET http://[::1 HTTP/1.1')]),
      message: /'http:\/\/\[::1' is not a valid URL/,
    },
    {
      name: 'nested change sets',
      contentType: ct,
      body: batchOf([changeSet([changeSet([part('POST leads HTTP/1.1')], 'inner')])]),
      message: 'Nested change sets in a batch payload are not supported.',
    },
    {
      name: 'change set without a boundary',
      contentType: ct,
      body: batchOf(['Content-Type: multipart/mixed\r\n\r\n--cs\r\n--cs--']),
      message: /does not include a batch boundary/,
    },
    {
      name: 'GET inside a change set',
      contentType: ct,
      body: batchOf([changeSet([part('GET leads HTTP/1.1')])]),
      message: /GET requests are not allowed inside a change set \('GET leads HTTP\/1.1'\)/,
    },
    {
      name: '1001 operations in total',
      contentType: ct,
      body: batchOf([
        ...Array.from({ length: 600 }, () => part('GET leads HTTP/1.1')),
        changeSet(Array.from({ length: 401 }, () => part('POST leads HTTP/1.1'))),
      ]),
      message:
        "The current batch message contains too many parts. Only batch messages with a maximum number of '1000' query operations, including changeset operations, are allowed.",
    },
    {
      name: '1001 operations in one change set',
      contentType: ct,
      body: batchOf([changeSet(Array.from({ length: 1001 }, () => part('POST leads HTTP/1.1')))]),
      message:
        "The current change set contains too many operations. A maximum number of '1000' operations are allowed in a change set.",
    },
    {
      name: '$1 used in a request line before it is declared (MSDocs example)',
      contentType: ct,
      body: batchOf([
        changeSet([
          part('PATCH $1 HTTP/1.1', 'Content-ID: 2\r\n'),
          part('POST accounts HTTP/1.1', 'Content-ID: 1\r\n'),
        ]),
      ]),
      message: "Content-ID Reference: '$1' does not exist in the batch context.",
    },
    {
      name: '$1 used in a body before it is declared (the MSDocs error example)',
      contentType: 'multipart/mixed; boundary=batch_AAA123',
      body: crlf(`--batch_AAA123
Content-Type: multipart/mixed; boundary=changeset_BBB456

--changeset_BBB456
Content-Type: application/http
Content-Transfer-Encoding:binary
Content-ID: 2

POST ${ORG}/api/data/v9.2/phonecalls HTTP/1.1
Content-Type: application/json;type=entry

{
    "phonenumber":"911",
    "regardingobjectid_account_phonecall@odata.bind" : "$1"
}

--changeset_BBB456
Content-Type: application/http
Content-Transfer-Encoding:binary
Content-ID: 1

POST ${ORG}/api/data/v9.2/accounts HTTP/1.1
Content-Type: application/json;type=entry

{
    "name":"QQQQ",
    "revenue": 1.50
}

--changeset_BBB456--
--batch_AAA123--
`),
      message: "Content-ID Reference: '$1' does not exist in the batch context.",
    },
    {
      name: 'a reference to a Content-ID of another change set',
      contentType: ct,
      body: batchOf([
        changeSet([part('POST leads HTTP/1.1', 'Content-ID: 1\r\n')], 'cs1'),
        changeSet([part('PATCH $1 HTTP/1.1')], 'cs2'),
      ]),
      message: "Content-ID Reference: '$1' does not exist in the batch context.",
    },
    {
      name: 'a reference outside any change set',
      contentType: ct,
      body: batchOf([part('DELETE $1 HTTP/1.1')]),
      message: "Content-ID Reference: '$1' does not exist in the batch context.",
    },
    {
      name: 'a reference in an @odata.id array inside a nested object',
      contentType: ct,
      body: batchOf([
        changeSet([
          `Content-Type: application/http\r\n\r\nPOST accounts HTTP/1.1\r\n\r\n{"Account_Tasks":[{"x@odata.bind":["$9"]}]}`,
        ]),
      ]),
      message: "Content-ID Reference: '$9' does not exist in the batch context.",
    },
    {
      name: 'duplicate Content-ID in a change set',
      contentType: ct,
      body: batchOf([
        changeSet([
          part('POST leads HTTP/1.1', 'Content-ID: 1\r\n'),
          part('POST leads HTTP/1.1', 'Content-ID: 1\r\n'),
        ]),
      ]),
      message:
        "The content ID '1' was found more than once in the same change set. Content IDs have to be unique across all operations of a change set.",
    },
  ];

  it.each(cases)('$name', ({ contentType, body, message }) => {
    let thrown: unknown;
    try {
      parseBatchRequest(contentType, body, SERVICE_ROOT);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BatchFormatError);
    const error = thrown as BatchFormatError;
    expect(error.status).toBe(400);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('honours a smaller configured operation limit', () => {
    const body = batchOf([
      part('GET leads HTTP/1.1'),
      part('GET leads HTTP/1.1'),
      part('GET leads HTTP/1.1'),
    ]);
    expect(() => parseBatchRequest(ct, body, SERVICE_ROOT, { maxOperations: 2 })).toThrow(
      /maximum number of '2'/,
    );
  });

  it('does not mistake a "$100" text value for a Content-ID reference', () => {
    const body = batchOf([
      'Content-Type: application/http\r\n\r\nPOST leads HTTP/1.1\r\n\r\n{"description":"$100 off","budgetamount":"$1"}',
    ]);
    expect(parseBatchRequest(ct, body, SERVICE_ROOT).items).toHaveLength(1);
  });
});

/** mulberry32: a tiny seeded PRNG so the fuzz cases are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseBatchRequest — garbage input', () => {
  const fragments = [
    '--b',
    '--b--',
    '--cs',
    '--cs--',
    '\r\n',
    '\n',
    '\r',
    ' ',
    ':',
    'Content-Type: application/http',
    'Content-Type: multipart/mixed; boundary=cs',
    'Content-Type: multipart/mixed; boundary="cs',
    'Content-Type: text/plain',
    'Content-ID: 1',
    'Content-ID: $1',
    'Content-Transfer-Encoding: base64',
    'GET ',
    'POST ',
    'PATCH $1 ',
    'leads',
    '/api/data/v9.2/leads',
    'http://[',
    'https://x.test/',
    'HTTP/1.1',
    '{"a@odata.bind":"$1"}',
    '[[[[[[',
    '\u0000',
    '\uffff',
    'é',
  ];

  it('only ever returns or throws BatchFormatError, quickly', () => {
    const random = seeded(20240607);
    const started = Date.now();
    for (let iteration = 0; iteration < 3000; iteration++) {
      const length = Math.floor(random() * 60);
      let body = '';
      for (let i = 0; i < length; i++) body += fragments[Math.floor(random() * fragments.length)] ?? '';
      const contentType =
        random() < 0.9
          ? 'multipart/mixed; boundary=b'
          : (fragments[Math.floor(random() * fragments.length)] ?? '');
      try {
        parseBatchRequest(contentType, body, SERVICE_ROOT);
      } catch (error) {
        expect(error).toBeInstanceOf(BatchFormatError);
      }
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('handles random bytes', () => {
    const random = seeded(7);
    for (let iteration = 0; iteration < 500; iteration++) {
      const body = String.fromCharCode(...Array.from({ length: 200 }, () => Math.floor(random() * 128)));
      try {
        parseBatchRequest('multipart/mixed; boundary=b', `--b\r\n${body}\r\n--b--`, SERVICE_ROOT);
      } catch (error) {
        expect(error).toBeInstanceOf(BatchFormatError);
      }
    }
  });

  it('stays linear on huge pathological input', () => {
    const started = Date.now();
    const hugeLine = `GET ${'a'.repeat(2_000_000)}`;
    expect(() =>
      parseBatchRequest('multipart/mixed; boundary=b', batchOf([part(hugeLine)]), SERVICE_ROOT),
    ).toThrow(BatchFormatError);
    const deepJson = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const body = batchOf([
      changeSet([`Content-Type: application/http\r\n\r\nPOST leads HTTP/1.1\r\n\r\n${deepJson}`]),
    ]);
    expect(parseBatchRequest('multipart/mixed; boundary=b', body, SERVICE_ROOT).items).toHaveLength(1);
    const manyBreaks = batchOf([
      `Content-Type: application/http\r\n\r\nPOST leads HTTP/1.1\r\n\r\n${'\n'.repeat(200_000)}x\n`,
    ]);
    expect(parseBatchRequest('multipart/mixed; boundary=b', manyBreaks, SERVICE_ROOT).items).toHaveLength(1);
    const manyDelimiters = `${'--b\r\n'.repeat(100_000)}`;
    expect(() => parseBatchRequest('multipart/mixed; boundary=b', manyDelimiters, SERVICE_ROOT)).toThrow(
      BatchFormatError,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
