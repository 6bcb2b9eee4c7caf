import { describe, expect, it } from 'vitest';
import { buildBatchRequest, type BatchItem } from './batch-request.js';
import { boundaryOf, parseBatchResponse } from './batch-response.js';

const ids = () => {
  let n = 0;
  return () => `id${++n}`;
};
const servicePath = '/api/data/v9.2/';

describe('buildBatchRequest', () => {
  it('writes Dataverse’s multipart format: operations, a change set with Content-IDs, CRLF everywhere', () => {
    const built = buildBatchRequest(
      [
        { method: 'GET', path: "leads?$select=fullname&$filter=lastname eq 'O''Brien'" },
        {
          changeSet: [
            { method: 'POST', path: 'accounts', body: { name: 'Contoso' }, contentId: 'a' },
            {
              method: 'POST',
              path: 'contacts',
              body: { lastname: 'Doe', 'parentcustomerid_account@odata.bind': '$a' },
              headers: { Prefer: 'return=representation' },
            },
            { method: 'PATCH', path: '$a', body: { telephone1: '555' } },
          ],
        },
        { method: 'DELETE', path: 'leads(00000000-0000-0000-0000-000000000001)' },
      ],
      { servicePath, newId: ids() },
    );
    expect(built.contentType).toBe('multipart/mixed; boundary=batch_id1');
    expect(built.operationCount).toBe(5);
    expect(built.body).toBe(
      [
        '--batch_id1',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        "GET /api/data/v9.2/leads?$select=fullname&$filter=lastname%20eq%20'O''Brien' HTTP/1.1",
        'Accept: application/json',
        '',
        '',
        '--batch_id1',
        'Content-Type: multipart/mixed; boundary=changeset_id2',
        '',
        '--changeset_id2',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: a',
        '',
        'POST /api/data/v9.2/accounts HTTP/1.1',
        'Accept: application/json',
        'Content-Type: application/json; type=entry',
        '',
        '{"name":"Contoso"}',
        '--changeset_id2',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: 1',
        '',
        'POST /api/data/v9.2/contacts HTTP/1.1',
        'Accept: application/json',
        'Content-Type: application/json; type=entry',
        'Prefer: return=representation',
        '',
        '{"lastname":"Doe","parentcustomerid_account@odata.bind":"$a"}',
        '--changeset_id2',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: 2',
        '',
        'PATCH $a HTTP/1.1',
        'Accept: application/json',
        'Content-Type: application/json; type=entry',
        '',
        '{"telephone1":"555"}',
        '--changeset_id2--',
        '--batch_id1',
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        'DELETE /api/data/v9.2/leads(00000000-0000-0000-0000-000000000001) HTTP/1.1',
        'Accept: application/json',
        '',
        '',
        '--batch_id1--',
        '',
      ].join('\r\n'),
    );
  });

  it.each<[string, BatchItem[], RegExp]>([
    ['an empty batch', [], /at least one operation/],
    ['a GET in a change set', [{ changeSet: [{ method: 'GET', path: 'leads' }] }], /cannot hold a GET/],
    ['an empty change set', [{ changeSet: [] }], /change set needs at least one/],
    [
      'a $n reference outside a change set',
      [{ method: 'PATCH', path: '$1', body: {} }],
      /inside a change set/,
    ],
    [
      'an absolute URL',
      [{ method: 'GET', path: 'https://evil.example/leads' }],
      /relative to the service root/,
    ],
    [
      'a header with a line break',
      [{ method: 'GET', path: 'leads', headers: { Prefer: 'x\r\nInjected: 1' } }],
      /line break/,
    ],
    ['a path with a line break', [{ method: 'GET', path: 'leads HTTP/1.1\r\nX: 1' }], /line break|spaces/],
    [
      'a Content-ID used twice',
      [
        {
          changeSet: [
            { method: 'POST', path: 'leads', body: {}, contentId: '1' },
            { method: 'POST', path: 'leads', body: {}, contentId: '1' },
          ],
        },
      ],
      /used twice/,
    ],
    [
      'more than 1000 operations',
      Array.from({ length: 1001 }, () => ({ method: 'GET' as const, path: 'leads' })),
      /at most 1000/,
    ],
  ])('refuses %s', (_name, items, message) => {
    expect(() => buildBatchRequest(items, { servicePath, newId: ids() })).toThrow(message);
  });
});

describe('parseBatchResponse', () => {
  it("reads MSDocs' example: a 204 with Location and OData-EntityId, then a collection", () => {
    const body = [
      '--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 204 No Content',
      'OData-Version: 4.0',
      'Location: https://org.crm.dynamics.com/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)',
      'OData-EntityId: https://org.crm.dynamics.com/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)',
      '',
      '',
      '--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 200 OK',
      'Content-Type: application/json; odata.metadata=minimal; odata.streaming=true',
      'OData-Version: 4.0',
      '',
      '{"@odata.context":"x","value":[{"subject":"Task 1"}]}',
      '--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916--',
      '',
    ].join('\r\n');
    const items = parseBatchResponse(
      'multipart/mixed; boundary=batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916',
      body,
    );
    expect(items).toEqual([
      {
        kind: 'operation',
        response: {
          status: 204,
          headers: {
            'odata-version': '4.0',
            location:
              'https://org.crm.dynamics.com/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)',
            'odata-entityid':
              'https://org.crm.dynamics.com/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)',
          },
          body: '',
        },
      },
      {
        kind: 'operation',
        response: {
          status: 200,
          headers: {
            'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true',
            'odata-version': '4.0',
          },
          body: '{"@odata.context":"x","value":[{"subject":"Task 1"}]}',
        },
      },
    ]);
  });

  it('reads a change set whose close delimiter runs straight into the next batch delimiter', () => {
    const body = [
      '--batchresponse_b',
      'Content-Type: multipart/mixed; boundary=changesetresponse_c',
      '',
      '--changesetresponse_c',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'HTTP/1.1 204 No Content',
      'OData-EntityId: https://x/api/data/v9.2/accounts(00000000-0000-0000-0000-00000000000a)',
      '',
      '',
      '--changesetresponse_c',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'HTTP/1.1 201 Created',
      'Content-Type: application/json; odata.metadata=minimal',
      '',
      '{"contactid":"00000000-0000-0000-0000-00000000000b"}',
      '--changesetresponse_c--',
      '--batchresponse_b',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 404 Not Found',
      'REQ_ID: 5f3c',
      'Content-Type: application/json; odata.metadata=minimal',
      '',
      '{"error":{"code":"0x80040217","message":"SystemUser With Id = 018d0d88-05c2-46bb-ac83-63a910e8b1f1 Does Not Exist"}}',
      '--batchresponse_b--',
    ].join('\r\n');
    const items = parseBatchResponse('multipart/mixed; boundary="batchresponse_b"', body);
    expect(items).toHaveLength(2);
    const [changeSet, failed] = items;
    expect(changeSet).toMatchObject({
      kind: 'changeSet',
      parts: [
        { contentId: '1', response: { status: 204 } },
        {
          contentId: '2',
          response: { status: 201, body: '{"contactid":"00000000-0000-0000-0000-00000000000b"}' },
        },
      ],
    });
    expect(failed).toMatchObject({
      kind: 'operation',
      response: { status: 404, headers: { req_id: '5f3c' } },
    });
  });

  it('is lenient: bare LF, "HTTP/ 1.1", a Content-ID line without the blank line after it', () => {
    const body = [
      '--batchresponse_x',
      'Content-Type: multipart/mixed; boundary=changesetresponse_y',
      '',
      '--changesetresponse_y',
      'Content-Type: application/http',
      'Content-Transfer-Encoding:binary',
      'Content-ID: 100001',
      'HTTP/ 1.1 201 Created',
      'Content-Type: application/json',
      '',
      '{"a":1}',
      '--changesetresponse_y--',
      '--batchresponse_x--',
    ].join('\n');
    expect(parseBatchResponse('multipart/mixed;boundary=batchresponse_x', body)).toEqual([
      {
        kind: 'changeSet',
        parts: [
          {
            contentId: '100001',
            response: { status: 201, headers: { 'content-type': 'application/json' }, body: '{"a":1}' },
          },
        ],
      },
    ]);
  });

  it('round-trips a body that mentions the boundary mid-line', () => {
    const body =
      '--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{"text":"--b is not a delimiter here"}\r\n--b--\r\n';
    expect(parseBatchResponse('multipart/mixed; boundary=b', body)[0]).toMatchObject({
      response: { body: '{"text":"--b is not a delimiter here"}' },
    });
  });

  it.each([
    ['no boundary', 'multipart/mixed', '--b\r\n'],
    ['no delimiter', 'multipart/mixed; boundary=b', 'hello'],
    [
      'never closed',
      'multipart/mixed; boundary=b',
      '--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n',
    ],
    [
      'no status line',
      'multipart/mixed; boundary=b',
      '--b\r\nContent-Type: application/http\r\n\r\nhello\r\n--b--',
    ],
  ])('refuses a body with %s', (_name, type, body) => {
    expect(() => parseBatchResponse(type, body)).toThrow(/cannot be read/);
  });

  it('finds quoted and unquoted boundaries', () => {
    expect(boundaryOf('multipart/mixed; boundary="batch_1"')).toBe('batch_1');
    expect(boundaryOf('multipart/mixed;boundary=batch_2; charset=utf-8')).toBe('batch_2');
    expect(boundaryOf('application/json')).toBeUndefined();
  });
});
