import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamicsWebApi } from 'dynamics-web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorResponse } from '../emulator-request.js';
import type { BatchOperation } from './batch-request.js';
import type { BatchResponseItem } from './batch-response.js';
import { parseBatchRequest } from './parse-batch-request.js';
import { serializeBatchResponse } from './serialize-batch-response.js';

/**
 * Drives the codec with a real, independent client: DynamicsWebApi 2.x builds the `$batch` body, our parser
 * reads it, our serializer answers, and DynamicsWebApi's own response parser (which "will choke on
 * non-Dataverse-like responses", docs/protocols/dataverse.md §9a) must make sense of the answer.
 * Loopback HTTP only; no emulator involved.
 */

const LEAD_ID = '11111111-2222-3333-4444-555555555555';
const TASK_ID = '66666666-7777-8888-9999-000000000000';

let server: Server;
let baseUrl = '';
let lastOperations: BatchOperation[] = [];

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function answer(operation: BatchOperation, serviceRoot: string): EmulatorResponse {
  if (operation.method === 'GET') {
    return {
      status: 200,
      headers: { 'Content-Type': 'application/json; odata.metadata=minimal', 'OData-Version': '4.0' },
      body: JSON.stringify({
        '@odata.context': `${serviceRoot}$metadata#leads(fullname)`,
        value: [{ '@odata.etag': 'W/"1"', fullname: 'Ada Lovelace', leadid: LEAD_ID }],
      }),
    };
  }
  const entity =
    operation.target.kind === 'url' && operation.target.url.pathname.endsWith('/tasks') ? 'tasks' : 'leads';
  const id = entity === 'tasks' ? TASK_ID : LEAD_ID;
  return {
    status: 204,
    headers: {
      'OData-Version': '4.0',
      Location: `${serviceRoot}${entity}(${id})`,
      'OData-EntityId': `${serviceRoot}${entity}(${id})`,
    },
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const serviceRoot = `${baseUrl}/api/data/v9.2/`;
      const parsed = parseBatchRequest(request.headers['content-type'] ?? '', body, new URL(serviceRoot));
      lastOperations = parsed.items.flatMap((item) =>
        item.kind === 'operation' ? [item.operation] : [...item.operations],
      );
      let guid = 0;
      const items: BatchResponseItem[] = parsed.items.map((item) =>
        item.kind === 'operation'
          ? { kind: 'operation', response: answer(item.operation, serviceRoot) }
          : {
              kind: 'changeSet',
              parts: item.operations.map((operation) =>
                operation.contentId === undefined
                  ? { response: answer(operation, serviceRoot) }
                  : { contentId: operation.contentId, response: answer(operation, serviceRoot) },
              ),
            },
      );
      const result = serializeBatchResponse(items, () => `00000000-0000-0000-0000-00000000000${guid++}`);
      response.writeHead(200, { 'Content-Type': result.contentType, 'OData-Version': '4.0' });
      response.end(result.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('batch codec against DynamicsWebApi 2.x', () => {
  it('round-trips a GET, a change set with a $1 body reference, and a PATCH $1', async () => {
    const api = new DynamicsWebApi({
      serverUrl: baseUrl,
      dataApi: { version: '9.2' },
      onTokenRefresh: () => Promise.resolve('dummy-token'),
    });
    api.startBatch();
    void api.retrieveMultiple({ collection: 'leads', select: ['fullname'] });
    void api.create({
      collection: 'leads',
      data: { firstname: 'Ada', lastname: 'Lovelace' },
      contentId: '1',
    });
    void api.create({
      collection: 'tasks',
      data: { subject: 'Call', 'regardingobjectid_lead_task@odata.bind': '$1' },
    });
    void api.update({ contentId: '$1', data: { lastname: 'Byron' } });
    const results: unknown[] = await api.executeBatch();

    expect(
      lastOperations.map(
        (op) => `${op.method} ${op.target.kind === 'url' ? op.target.url.pathname : op.target.raw}`,
      ),
    ).toEqual([
      'GET /api/data/v9.2/leads',
      'POST /api/data/v9.2/leads',
      'POST /api/data/v9.2/tasks',
      'PATCH $1',
    ]);
    expect(results).toHaveLength(4);
    expect(results[0]).toMatchObject({ value: [{ fullname: 'Ada Lovelace', leadid: LEAD_ID }] });
    expect(results[1]).toBe(LEAD_ID);
    expect(results[2]).toBe(TASK_ID);
  });
});
