import type { DataverseError } from '../errors.js';
import type { EmulatorResponse } from './emulator-request.js';

export const JSON_CONTENT_TYPE = 'application/json; odata.metadata=minimal';

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'odata-version': '4.0', ...headers },
    body: JSON.stringify(body),
  };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers: { 'odata-version': '4.0', ...headers } };
}

export function textResponse(status: number, text: string, contentType: string): EmulatorResponse {
  return { status, headers: { 'content-type': contentType, 'odata-version': '4.0' }, body: text };
}

/**
 * Echoes `odata.include-annotations` in `Preference-Applied` on a successful JSON answer, as the service
 * does (protocols/dataverse.md §1.3); other applied preferences stay in the same header.
 */
export function withAnnotationsApplied(
  response: EmulatorResponse,
  includeAnnotations: string | undefined,
): EmulatorResponse {
  const json = response.headers['content-type']?.startsWith('application/json') === true;
  if (includeAnnotations === undefined || response.status >= 300 || !json) return response;
  const applied = `odata.include-annotations="${includeAnnotations}"`;
  const existing = response.headers['preference-applied'];
  return {
    ...response,
    headers: { ...response.headers, 'preference-applied': existing ? `${existing},${applied}` : applied },
  };
}

/**
 * Dataverse's error body (protocols/dataverse.md §1.11); with `odata.include-annotations="*"` it also
 * carries the `@Microsoft.PowerApps.CDS.*` details.
 */
export function errorResponse(error: DataverseError, detailed: boolean): EmulatorResponse {
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (detailed) {
    body['@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus'] =
      error.status >= 500 ? 'Failed' : 'Failure';
    body['@Microsoft.PowerApps.CDS.HelpLink'] =
      `http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a${error.code.replace(/^0x/, '')}&client=platform`;
    body['@Microsoft.PowerApps.CDS.TraceText'] = error.message;
    body['@Microsoft.PowerApps.CDS.InnerError.Message'] = error.message;
  }
  return jsonResponse(error.status, { error: body }, { ...error.headers });
}
