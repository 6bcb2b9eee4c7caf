import type { EmulatorResponse } from '../protocol/emulator-request.js';

/**
 * A Dataverse-shaped JSON error response: `{"error":{"code":"0x…","message":"…"}}` with the service's
 * content type and OData-Version (docs/protocols/dataverse.md §1.11, checklist item 10).
 */
export function dataverseErrorResponse(
  status: number,
  code: string,
  message: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): EmulatorResponse {
  return {
    status,
    headers: {
      'Content-Type': 'application/json; odata.metadata=minimal',
      'OData-Version': '4.0',
      ...extraHeaders,
    },
    body: JSON.stringify({ error: { code, message } }),
  };
}
