import { describe, expect, it } from 'vitest';
import { isTemporary, mapDataverseFailure, mapEntraFailure } from './dataverse-error-mapping.js';

describe('isTemporary', () => {
  it.each([
    [429, true],
    [500, true],
    [503, true],
    [504, true],
    [408, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [412, false],
  ])('%i → %s', (status, expected) => {
    expect(isTemporary({ status })).toBe(expected);
  });
});

describe('mapDataverseFailure', () => {
  it.each([
    [
      { status: 404, code: '0x80040217', message: 'lead With Id = 1 Does Not Exist' },
      'crm_record_not_found',
      false,
    ],
    [
      { status: 412, code: '0x80040237', message: 'A record with matching key values already exists.' },
      'crm_duplicate',
      false,
    ],
    [{ status: 412, code: '0x80060882', message: 'version mismatch' }, 'crm_validation_failed', false],
    [{ status: 400, code: '0x80044331', message: 'too long' }, 'crm_validation_failed', false],
    [{ status: 403, code: '0x80040220', message: 'missing prvCreateLead' }, 'crm_forbidden', false],
    [{ status: 401 }, 'crm_reauthorization_needed', false],
    [
      { status: 429, code: '0x80072322', message: 'Number of requests exceeded', retryAfterSeconds: 5 },
      'crm_throttled',
      true,
    ],
    [{ status: 503 }, 'crm_unavailable', true],
  ] as const)('%j → %s', (failure, code, retryable) => {
    const error = mapDataverseFailure(failure);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.vendor?.code).toBe('code' in failure ? failure.code : `HTTP ${failure.status}`);
  });

  it('keeps when a throttled environment may be called again', () => {
    expect(mapDataverseFailure({ status: 429, retryAfterSeconds: 30 }).retryAt).toMatch(/^\d{4}-/);
  });
});

describe('mapEntraFailure', () => {
  it('turns a wrong secret into crm_auth_failed with Entra first line', () => {
    const error = mapEntraFailure({
      errorCode: 'invalid_client',
      errorMessage: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1\r\nCorrelation ID: 2',
    });
    expect(error.code).toBe('crm_auth_failed');
    expect(error.message).toContain('AADSTS7000215: Invalid client secret provided.');
    expect(error.message).not.toContain('Trace ID');
    expect(error.vendor?.code).toBe('AADSTS7000215');
  });

  it('asks for re-authorization on an expired secret or a revoked grant', () => {
    expect(
      mapEntraFailure({
        errorCode: 'invalid_client',
        errorMessage: 'AADSTS7000222: The provided client secret keys are expired.',
      }).code,
    ).toBe('crm_reauthorization_needed');
    expect(
      mapEntraFailure({ errorCode: 'invalid_grant', errorMessage: 'AADSTS50173: grant revoked' }).code,
    ).toBe('crm_reauthorization_needed');
  });

  it('treats a network failure as unreachable', () => {
    expect(mapEntraFailure(new TypeError('fetch failed')).code).toBe('crm_unreachable');
  });
});
