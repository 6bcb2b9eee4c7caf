import { readFileSync } from 'node:fs';
import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors.js';
import { mapEntraFailure } from './entra-error-mapping.js';

interface EntraBody {
  readonly error: string;
  readonly error_description: string;
  readonly error_codes: number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly suberror?: string;
}

const fixtures = (
  JSON.parse(readFileSync(new URL('./fixtures/entra-errors.json', import.meta.url), 'utf8')) as {
    fixtures: { name: string; status: number; body: EntraBody }[];
  }
).fixtures;

/** The error msal-node 5+ throws for such an answer (msal-common ResponseHandler.validateTokenResponse). */
function msalErrorFor(name: string): Error {
  const recorded = fixtures.find((candidate) => candidate.name === name);
  if (!recorded) throw new Error(`no fixture ${name}`);
  const b = recorded.body;
  if (b.error === 'invalid_grant' && b.suberror === 'bad_token')
    return new InteractionRequiredAuthError(
      b.error,
      b.correlation_id,
      b.error_description,
      b.suberror,
      b.timestamp,
      b.trace_id,
      '',
      String(b.error_codes[0]),
    );
  const text = `Error(s): ${b.error_codes.join(',')} - Timestamp: ${b.timestamp} - Description: ${b.error_description} - Correlation ID: ${b.correlation_id} - Trace ID: ${b.trace_id}`;
  return new ServerError(
    b.error,
    b.correlation_id,
    text,
    b.suberror,
    String(b.error_codes[0]),
    recorded.status,
  );
}

const context = { authorityOrigin: 'https://login.microsoftonline.com' };

describe('recorded Entra ID errors → the catalogue', () => {
  it.each<[string, ErrorCode, string]>([
    ['wrong-secret', 'crm_auth_failed', 'AADSTS7000215'],
    ['expired-secret', 'crm_reauthorization_needed', 'AADSTS7000222'],
    ['unknown-app', 'crm_auth_failed', 'AADSTS700016'],
    ['unknown-tenant', 'crm_auth_failed', 'AADSTS90002'],
    ['environment-not-in-tenant', 'crm_auth_failed', 'AADSTS500011'],
    ['revoked-grant', 'crm_reauthorization_needed', 'AADSTS50173'],
    ['refresh-token-inactive', 'crm_reauthorization_needed', 'AADSTS700082'],
  ])('%s → %s (%s)', (name, code, vendorCode) => {
    const error = mapEntraFailure(msalErrorFor(name), context);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(false);
    expect(error.vendor?.code).toBe(vendorCode);
    // Entra's sentence, without the trace lines msal and Entra append.
    expect(error.message).not.toMatch(/Trace ID|Correlation ID|Timestamp|Error\(s\)/);
  });

  it("puts Entra's message in plain words with the remedy", () => {
    expect(mapEntraFailure(msalErrorFor('wrong-secret'), context).message).toBe(
      'Microsoft Entra ID refused the credentials. Entra ID said "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app \'2d4f6a8c-1b3e-4d5f-8a7c-9e0b1d2f3a4b\'.". ' +
        'Check that the connection holds the client secret value (not the secret ID) of this app registration.',
    );
    expect(mapEntraFailure(msalErrorFor('expired-secret'), context).message).toContain(
      'The client secret expired: create a new secret',
    );
  });

  it('treats an authority that does not answer as unreachable', () => {
    const wrapped = Object.assign(new Error('network_error'), {
      errorCode: 'network_error',
      transportFailure: {
        kind: 'refused',
        code: 'ECONNREFUSED',
        message: 'connect ECONNREFUSED 127.0.0.1:1',
      },
    });
    const error = mapEntraFailure(wrapped, context);
    expect(error.code).toBe('crm_unreachable');
    expect(error.vendor?.code).toBe('ECONNREFUSED');
    expect(error.message).toContain('https://login.microsoftonline.com refused the connection');
    expect(
      mapEntraFailure({ errorCode: 'endpoints_resolution_error', errorMessage: 'x' }, context).code,
    ).toBe('crm_unreachable');
  });

  it('says Entra ID is unavailable on a 5xx', () => {
    const error = mapEntraFailure(
      new ServerError(
        'temporarily_unavailable',
        '',
        'AADSTS90033: A transient error has occurred.',
        undefined,
        '90033',
        503,
      ),
      context,
    );
    expect(error.code).toBe('crm_unavailable');
    expect(error.retryable).toBe(true);
  });
});
