import { describe, expect, it } from 'vitest';
import { LeadbridgeError, type ErrorCode } from '../../shared/errors.js';
import { connectionStatusFrom } from './connection-status.js';
import { DataverseError } from './dataverse-error.js';

const at = new Date('2026-05-01T10:00:00Z');
const now = new Date('2026-05-01T10:00:10Z');
const failed = (error: unknown) => connectionStatusFrom({ ok: false, at, error }, now);

describe('connectionStatusFrom', () => {
  it('is untested before anything happened, active after a success', () => {
    expect(connectionStatusFrom(undefined, now)).toEqual({ status: 'untested' });
    expect(connectionStatusFrom({ ok: true, at }, now)).toEqual({
      status: 'active',
      since: at.toISOString(),
    });
  });

  it.each<[ErrorCode, string, string]>([
    ['crm_auth_failed', 'AADSTS7000215', 'needs_reauthorization'],
    ['crm_reauthorization_needed', 'AADSTS7000222', 'needs_reauthorization'],
    ['crm_reauthorization_needed', 'AADSTS50173', 'needs_reauthorization'],
    ['crm_wrong_environment', 'organization', 'needs_reauthorization'],
    ['crm_unreachable', 'ECONNREFUSED', 'unreachable'],
    ['crm_unavailable', 'HTTP 503', 'unreachable'],
    ['crm_forbidden', '0x80072560', 'needs_reauthorization'],
    ['crm_forbidden', '0x80040220', 'active'],
    ['crm_validation_failed', '0x80044331', 'active'],
    ['crm_record_not_found', '0x80040217', 'active'],
    ['crm_duplicate', '0x80040237', 'active'],
  ])('%s (%s) → %s', (code, vendorCode, status) => {
    const report = failed(
      new DataverseError(code, 'detail', { code: vendorCode, message: 'what the vendor said' }),
    );
    expect(report.status).toBe(status);
    if (status !== 'active') {
      expect(report.reason).toContain(vendorCode);
      expect(report.vendor).toEqual({ code: vendorCode, message: 'what the vendor said' });
    }
  });

  it('is throttled until Retry-After, and active again afterwards', () => {
    const until = new DataverseError(
      'crm_throttled',
      undefined,
      { code: '0x80072322', message: 'Number of requests exceeded' },
      {
        retryAt: '2026-05-01T10:05:00.000Z',
      },
    );
    expect(failed(until)).toMatchObject({ status: 'throttled', throttledUntil: '2026-05-01T10:05:00.000Z' });
    const over = new DataverseError('crm_throttled', undefined, undefined, {
      retryAt: '2026-05-01T10:00:05.000Z',
    });
    expect(failed(over).status).toBe('active');
  });

  it('treats an unknown failure as unreachable, with its message', () => {
    expect(failed(new Error('socket hang up'))).toMatchObject({
      status: 'unreachable',
      reason: 'socket hang up',
    });
    expect(failed(new LeadbridgeError('crm_url_invalid')).status).toBe('unreachable');
  });
});
