import { describe, expect, it } from 'vitest';
import type { EmulatorResponse } from '../emulator-request.js';
import type { BatchResponseItem } from './batch-response.js';
import { httpReasonPhrase } from './http-reason-phrase.js';
import { serializeBatchResponse } from './serialize-batch-response.js';

const ORG = 'https://contoso.crm.dynamics.com';
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

function guids(...values: string[]): () => string {
  const queue = [...values];
  return () => {
    const next = queue.shift();
    if (next === undefined) throw new Error('newGuid called more often than expected');
    return next;
  };
}

const created = (entity: string, id: string): EmulatorResponse => ({
  status: 204,
  headers: {
    'OData-Version': '4.0',
    Location: `${ORG}/api/data/v9.2/${entity}(${id})`,
    'OData-EntityId': `${ORG}/api/data/v9.2/${entity}(${id})`,
  },
});

const TASKS_JSON = `{
  "@odata.context": "${ORG}/api/data/v9.2/$metadata#tasks(subject)",
  "value": [
    {
      "@odata.etag": "W/\\"77180907\\"",
      "subject": "Task 1 in batch",
      "activityid": "d31ba648-c592-ed11-aad1-000d3a993550"
    }
  ]
}`;

describe('serializeBatchResponse — byte-exact against MSDocs responses (§3)', () => {
  it('reproduces the plain batch response', () => {
    // MSDocs execute-batch-operations-using-web-api.md, "Batch responses" (one GET result kept short).
    const expected = crlf(`--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: ${ORG}/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)
OData-EntityId: ${ORG}/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)


--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 200 OK
Content-Type: application/json; odata.metadata=minimal; odata.streaming=true
OData-Version: 4.0

${TASKS_JSON}
--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916--
`);
    const result = serializeBatchResponse(
      [
        { kind: 'operation', response: created('tasks', 'd31ba648-c592-ed11-aad1-000d3a993550') },
        {
          kind: 'operation',
          response: {
            status: 200,
            headers: {
              'Content-Type': 'application/json; odata.metadata=minimal; odata.streaming=true',
              'OData-Version': '4.0',
            },
            body: crlf(TASKS_JSON),
          },
        },
      ],
      guids('01346794-f2e2-4d45-8cc2-f97e09fe8916'),
    );
    expect(result.body).toBe(expected);
    expect(result.contentType).toBe(
      'multipart/mixed; boundary=batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916',
    );
  });

  it('reproduces the change-set response', () => {
    // MSDocs, "Change sets" response.
    const expected = crlf(`--batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f
Content-Type: multipart/mixed; boundary=changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15

--changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: ${ORG}/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)
OData-EntityId: ${ORG}/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)


--changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: ${ORG}/api/data/v9.2/tasks(e83ffc82-e292-ed11-aad1-000d3a9933c9)
OData-EntityId: ${ORG}/api/data/v9.2/tasks(e83ffc82-e292-ed11-aad1-000d3a9933c9)


--changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15--
--batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 200 OK
Content-Type: application/json; odata.metadata=minimal; odata.streaming=true
OData-Version: 4.0

${TASKS_JSON}
--batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f--
`);
    const result = serializeBatchResponse(
      [
        {
          kind: 'changeSet',
          parts: [
            { contentId: '1', response: created('tasks', 'e73ffc82-e292-ed11-aad1-000d3a9933c9') },
            { contentId: '2', response: created('tasks', 'e83ffc82-e292-ed11-aad1-000d3a9933c9') },
          ],
        },
        {
          kind: 'operation',
          response: {
            status: 200,
            headers: {
              'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true',
              'odata-version': '4.0',
            },
            body: crlf(TASKS_JSON),
          },
        },
      ],
      guids('f27ef42d-51b0-4685-bac9-f468f844de2f', '64cc3fff-023a-45b0-b29d-df21583ffa15'),
    );
    expect(result.body).toBe(expected);
  });

  it('reproduces the stop-on-error response with REQ_ID and a JSON error', () => {
    // MSDocs, "Handling errors" response without odata.continue-on-error.
    const error =
      '{"error":{"code":"0x80044331","message":"A validation error occurred.  The length of the \'subject\' attribute of the \'task\' entity exceeded the maximum allowed length of \'200\'."}}';
    const expected = crlf(`--batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 400 Bad Request
REQ_ID: 5ecd1cb3-1730-4ffc-909c-d44c22270026
Content-Type: application/json; odata.metadata=minimal
OData-Version: 4.0

${error}
--batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a--
`);
    const result = serializeBatchResponse(
      [
        {
          kind: 'operation',
          response: {
            status: 400,
            headers: {
              req_id: '5ecd1cb3-1730-4ffc-909c-d44c22270026',
              'content-type': 'application/json; odata.metadata=minimal',
              'odata-version': '4.0',
            },
            body: error,
          },
        },
      ],
      guids('156da4b8-cd2c-4862-a911-4aaab97c001a'),
    );
    expect(result.body).toBe(expected);
  });
});

describe('serializeBatchResponse — details', () => {
  it.each([
    [200, 'OK'],
    [201, 'Created'],
    [204, 'No Content'],
    [304, 'Not Modified'],
    [400, 'Bad Request'],
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
    [404, 'Not Found'],
    [405, 'Method Not Allowed'],
    [412, 'Precondition Failed'],
    [413, 'Request Entity Too Large'],
    [429, 'Too Many Requests'],
    [500, 'Internal Server Error'],
    [501, 'Not Implemented'],
    [503, 'Service Unavailable'],
    [599, 'Unknown'],
  ])('writes status %i with reason phrase %s', (status, phrase) => {
    expect(httpReasonPhrase(status)).toBe(phrase);
    const { body } = serializeBatchResponse(
      [{ kind: 'operation', response: { status, headers: {} } }],
      () => 'g',
    );
    expect(body).toContain(`\r\n\r\nHTTP/1.1 ${status} ${phrase}\r\n\r\n\r\n--batchresponse_g--\r\n`);
  });

  it('uses CRLF only, drops framing headers and neutralises line breaks in header values', () => {
    const { body } = serializeBatchResponse(
      [
        {
          kind: 'operation',
          response: {
            status: 204,
            headers: { 'content-length': '12', 'x-evil': 'a\r\nInjected: yes', etag: 'W/"1"' },
          },
        },
      ],
      () => 'g',
    );
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(body).not.toMatch(/content-length/i);
    expect(body).toContain('\r\nx-evil: a Injected: yes\r\n');
    expect(body).toContain('\r\nETag: W/"1"\r\n');
  });

  it('serializes an empty batch and an empty change set', () => {
    expect(serializeBatchResponse([], () => 'g').body).toBe('--batchresponse_g--\r\n');
    expect(serializeBatchResponse([{ kind: 'changeSet', parts: [] }], guids('g', 'c')).body).toBe(
      '--batchresponse_g\r\nContent-Type: multipart/mixed; boundary=changesetresponse_c\r\n\r\n--changesetresponse_c--\r\n--batchresponse_g--\r\n',
    );
  });

  it('asks for one GUID for the batch and one per change set, in order', () => {
    const calls: string[] = [];
    const newGuid = (): string => {
      calls.push(`g${calls.length}`);
      return `g${calls.length - 1}`;
    };
    const { body } = serializeBatchResponse(
      [
        { kind: 'changeSet', parts: [{ response: { status: 204, headers: {} } }] },
        { kind: 'operation', response: { status: 204, headers: {} } },
        { kind: 'changeSet', parts: [{ response: { status: 204, headers: {} } }] },
      ],
      newGuid,
    );
    expect(calls).toEqual(['g0', 'g1', 'g2']);
    expect(body).toContain('boundary=changesetresponse_g1');
    expect(body).toContain('boundary=changesetresponse_g2');
    expect(body.startsWith('--batchresponse_g0\r\n')).toBe(true);
  });
});

/** Test-only reader for the response format: enough to check structure, independent of the serializer. */
interface ReadPart {
  contentId?: string;
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
}

function splitOn(text: string, boundary: string): string[] {
  const closeAt = text.lastIndexOf(`--${boundary}--`);
  expect(closeAt).toBeGreaterThanOrEqual(0);
  if (closeAt === 0) return [];
  expect(text.slice(closeAt - 2, closeAt)).toBe('\r\n');
  const pieces = `\r\n${text.slice(0, closeAt - 2)}`.split(`\r\n--${boundary}\r\n`);
  expect(pieces.shift()).toBe('');
  return pieces;
}

function readHttpPart(part: string): ReadPart {
  const mimeEnd = part.indexOf('\r\n\r\n');
  const mime = part.slice(0, mimeEnd);
  const http = part.slice(mimeEnd + 4);
  expect(mime).toMatch(
    /^Content-Type: application\/http\r\nContent-Transfer-Encoding: binary(\r\nContent-ID: .*)?$/,
  );
  const contentId = /^Content-ID: (.*)$/m.exec(mime)?.[1];
  const headerEnd = http.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = http.slice(0, headerEnd).split('\r\n');
  const status = /^HTTP\/1\.1 (\d{3}) (.+)$/.exec(statusLine);
  const headers = Object.fromEntries(
    headerLines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
  );
  const read: ReadPart = {
    status: Number(status?.[1]),
    reason: status?.[2] ?? '',
    headers,
    body: http.slice(headerEnd + 4),
  };
  if (contentId !== undefined) read.contentId = contentId;
  return read;
}

function readBatchResponse(contentType: string, body: string): Array<ReadPart | ReadPart[]> {
  const boundary = /boundary=(\S+)$/.exec(contentType)?.[1] ?? '';
  expect(body.endsWith(`--${boundary}--\r\n`)).toBe(true);
  return splitOn(body, boundary).map((part) => {
    const changeSet = /^Content-Type: multipart\/mixed; boundary=(changesetresponse_\S+)\r\n\r\n/.exec(part);
    if (changeSet === null) return readHttpPart(part);
    const inner = part.slice(changeSet[0].length);
    const innerBoundary = changeSet[1] ?? '';
    expect(inner.endsWith(`--${innerBoundary}--`)).toBe(true);
    return splitOn(inner, innerBoundary).map(readHttpPart);
  });
}

describe('serializeBatchResponse — round trip', () => {
  it('reads back every status, header, body and Content-ID', () => {
    const json = '{"@odata.context":"x","value":[{"a":"line1\\r\\nline2 --batchresponse_fake"}]}';
    const items: BatchResponseItem[] = [
      { kind: 'operation', response: { status: 200, headers: { 'OData-Version': '4.0' }, body: json } },
      {
        kind: 'changeSet',
        parts: [
          { contentId: '1', response: created('leads', '00000000-0000-0000-0000-000000000001') },
          {
            contentId: '100001',
            response: {
              status: 201,
              headers: { 'Preference-Applied': 'return=representation' },
              body: '{"a":1}',
            },
          },
        ],
      },
      {
        kind: 'operation',
        response: {
          status: 404,
          headers: { 'Content-Type': 'application/json; odata.metadata=minimal' },
          body: '{"error":{"code":"0x80040217","message":"lead With Id = 1 Does Not Exist"}}',
        },
      },
      { kind: 'operation', response: { status: 304, headers: {} } },
    ];
    const { contentType, body } = serializeBatchResponse(items, guids('aaaa', 'bbbb'));
    expect(readBatchResponse(contentType, body)).toEqual([
      { status: 200, reason: 'OK', headers: { 'OData-Version': '4.0' }, body: json },
      [
        {
          contentId: '1',
          status: 204,
          reason: 'No Content',
          headers: created('leads', '00000000-0000-0000-0000-000000000001').headers,
          body: '',
        },
        {
          contentId: '100001',
          status: 201,
          reason: 'Created',
          headers: { 'Preference-Applied': 'return=representation' },
          body: '{"a":1}',
        },
      ],
      {
        status: 404,
        reason: 'Not Found',
        headers: { 'Content-Type': 'application/json; odata.metadata=minimal' },
        body: '{"error":{"code":"0x80040217","message":"lead With Id = 1 Does Not Exist"}}',
      },
      { status: 304, reason: 'Not Modified', headers: {}, body: '' },
    ]);
  });
});
