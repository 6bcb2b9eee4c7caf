import type { EmulatorResponse } from '../protocol/emulator-request.js';
import { dataverseErrorResponse } from './dataverse-error-response.js';
import { DEFAULT_LIMITS, serviceProtectionError } from './service-protection-errors.js';

/**
 * Bodies for injected faults. They are built here, next to the decision, so every caller injects the same
 * realistic failures and the HTTP layer only has to send what it is given.
 *
 * Errors raised by the Dataverse application itself carry its JSON error body (§1.11); 503 and 504 are
 * produced in front of the application (IIS / the gateway), where no Dataverse error code is documented,
 * so those come back as the front end's small HTML pages — which is also what a robust client must
 * tolerate: a failure body that is not JSON.
 */

/** A 429 exactly like a request-count throttle at the default limits (§4), with Retry-After. */
export function injectedThrottleResponse(retryAfterSeconds: number): EmulatorResponse {
  const error = serviceProtectionError('requests', DEFAULT_LIMITS);
  return dataverseErrorResponse(429, error.code, error.message, { 'Retry-After': String(retryAfterSeconds) });
}

/** 0x80040216 is the platform's generic "unexpected error" (Crm.80040216 in the Dynamics 365 troubleshooting docs). */
export function injectedServerErrorResponse(): EmulatorResponse {
  return dataverseErrorResponse(500, '0x80040216', 'An unexpected error occurred.');
}

/** HTTP.sys's own 503 page, what IIS-hosted services answer while the application is unavailable. */
export function injectedUnavailableResponse(): EmulatorResponse {
  return {
    status: 503,
    headers: { 'Content-Type': 'text/html; charset=us-ascii' },
    body:
      '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n' +
      '<HTML><HEAD><TITLE>Service Unavailable</TITLE>\r\n' +
      '<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>\r\n' +
      '<BODY><h2>Service Unavailable</h2>\r\n' +
      '<hr><p>HTTP Error 503. The service is unavailable.</p>\r\n' +
      '</BODY></HTML>\r\n',
  };
}

/** A gateway timeout page, for a held request that is answered instead of dropped. */
export function injectedGatewayTimeoutResponse(): EmulatorResponse {
  return {
    status: 504,
    headers: { 'Content-Type': 'text/html' },
    body: '<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1></body></html>',
  };
}
