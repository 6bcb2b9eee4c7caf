import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors.js';
import {
  errorCodeForStatus,
  mapDataverseFailure,
  mapTransportFailure,
  readErrorBody,
} from './dataverse-error-mapping.js';
import { isRetryable, parseRetryAfter } from './retry-decision.js';

interface Fixture {
  readonly name: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const fixtures = (
  JSON.parse(readFileSync(new URL('./fixtures/dataverse-errors.json', import.meta.url), 'utf8')) as {
    fixtures: Fixture[];
  }
).fixtures;

function fixture(name: string): Fixture {
  const found = fixtures.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

const context = {
  environmentUrl: 'https://contoso.crm.dynamics.com/',
  operation: 'POST leads',
  now: new Date('2026-05-01T10:00:00.000Z'),
};

/** What the client does with a recorded answer: read the body, then map. */
function mapRecorded(name: string) {
  const recorded = fixture(name);
  const body = readErrorBody(recorded.body, recorded.headers['content-type']);
  const retryAfterMs = parseRetryAfter(recorded.headers['retry-after'], context.now.getTime());
  const outcome = {
    kind: 'response' as const,
    status: recorded.status,
    ...body,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(recorded.headers['req_id'] ? { requestId: recorded.headers['req_id'] } : {}),
  };
  return { outcome, error: mapDataverseFailure(outcome, context) };
}

describe('recorded Dataverse errors → the catalogue', () => {
  it.each<[string, ErrorCode, boolean, string]>([
    ['record-not-found', 'crm_record_not_found', false, '0x80040217'],
    ['length-exceeded', 'crm_validation_failed', false, '0x80044331'],
    ['choice-out-of-range', 'crm_validation_failed', false, '0x8004431a'],
    ['invalid-alternate-key', 'crm_validation_failed', false, '0x80060888'],
    ['duplicate-key', 'crm_duplicate', false, '0x80040237'],
    ['duplicate-detection-rule', 'crm_duplicate', false, '0x80040333'],
    ['concurrency-mismatch', 'conflict', false, '0x80060882'],
    ['privilege-missing', 'crm_forbidden', false, '0x80040220'],
    ['not-a-member', 'crm_forbidden', false, '0x80072560'],
    ['token-expired', 'crm_reauthorization_needed', false, 'HTTP 401'],
    ['throttled-requests', 'crm_throttled', true, '0x80072322'],
    ['throttled-execution-time', 'crm_throttled', true, '0x80072321'],
    ['throttled-concurrency', 'crm_throttled', true, '0x80072326'],
    ['unexpected-error', 'crm_unavailable', true, '0x80040216'],
    ['front-end-unavailable', 'crm_unavailable', true, 'HTTP 503'],
  ])('%s → %s (retryable %s)', (name, code, retryable, vendorCode) => {
    const { outcome, error } = mapRecorded(name);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(isRetryable(outcome)).toBe(retryable);
    expect(error.vendor?.code).toBe(vendorCode);
    expect(error.httpStatus).toBe(fixture(name).status);
  });

  it("keeps Dataverse's message in plain words, with the operation and REQ_ID", () => {
    const { error } = mapRecorded('privilege-missing');
    expect(error.message).toBe(
      'Dynamics 365 refused the operation for this user. POST leads: Dataverse said "Principal user (Id=3c4f1a2b-8e0d-4b7a-9c5e-6d2f1a0b9c8e, type=8) is missing prvCreateLead privilege (Id=9b7f4c3e-2a1d-4e6f-8b0c-5d3e2f1a0b9c)" (0x80040220). ' +
        "The application user's security role is missing a privilege; ask the Dynamics 365 administrator.",
    );
    expect(error.requestId).toBe('0f4f3b1e-6c52-4d1a-8f86-3c8a7a3b5e20');
  });

  it('says when a throttled environment may be called again', () => {
    const { error } = mapRecorded('throttled-requests');
    expect(error.retryAt).toBe('2026-05-01T10:00:37.000Z');
    expect(error.message).toContain('Retry after 2026-05-01T10:00:37.000Z.');
  });

  it("reads the front end's HTML page instead of failing on it", () => {
    expect(mapRecorded('front-end-unavailable').error.vendor?.message).toBe(
      'HTTP Error 503. The service is unavailable.',
    );
  });
});

describe('errorCodeForStatus', () => {
  it.each<[number, string | undefined, ErrorCode]>([
    [400, undefined, 'crm_validation_failed'],
    [405, undefined, 'crm_validation_failed'],
    [413, '0x8004418a', 'crm_validation_failed'],
    [401, undefined, 'crm_reauthorization_needed'],
    [403, undefined, 'crm_forbidden'],
    [404, '0x80060891', 'crm_record_not_found'],
    [412, '0x80040237', 'crm_duplicate'],
    [412, '0X80040333', 'crm_duplicate'],
    [412, undefined, 'conflict'],
    [429, undefined, 'crm_throttled'],
    [500, undefined, 'crm_unavailable'],
    [504, undefined, 'crm_unavailable'],
  ])('%i %s → %s', (status, code, expected) => {
    expect(errorCodeForStatus(status, code)).toBe(expected);
  });
});

describe('mapTransportFailure', () => {
  it.each([
    ['refused', 'ECONNREFUSED', /refused the connection/],
    ['dns', 'ENOTFOUND', /does not resolve/],
    ['tls', 'SELF_SIGNED_CERT_IN_CHAIN', /not trusted/],
    ['timeout', 'UND_ERR_HEADERS_TIMEOUT', /did not answer in time/],
  ] as const)('%s → crm_unreachable', (kind, code, message) => {
    const error = mapTransportFailure({ kind: 'transport', failure: { kind, code, message: code } }, context);
    expect(error.code).toBe('crm_unreachable');
    expect(error.retryable).toBe(true);
    expect(error.vendor).toEqual({ code, message: code });
    expect(error.message).toMatch(message);
    expect(error.message).toContain('https://contoso.crm.dynamics.com');
  });
});

describe('readErrorBody', () => {
  it.each<[string, string | undefined, ReturnType<typeof readErrorBody>]>([
    [
      '{"error":{"code":"","message":"account With Id = 1 Does Not Exist"}}',
      'application/json',
      { message: 'account With Id = 1 Does Not Exist' },
    ],
    ['{"Message":"An error has occurred."}', 'application/json', { message: 'An error has occurred.' }],
    ['token expired', 'text/plain', { message: 'token expired' }],
    ['', undefined, {}],
    ['{not json', 'application/json', { message: '{not json' }],
  ])('%s', (text, type, expected) => {
    expect(readErrorBody(text, type)).toEqual(expected);
  });
});
