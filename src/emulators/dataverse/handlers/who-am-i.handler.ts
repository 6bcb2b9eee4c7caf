import type { OperationContext } from '../environment.js';
import type { EmulatorResponse } from '../protocol/emulator-request.js';
import { jsonResponse } from '../protocol/responses.js';

/** GET WhoAmI (learn.microsoft.com …/webapi/reference/whoami): the caller's user, business unit and organisation. */
export function whoAmIHandler(ctx: OperationContext): EmulatorResponse {
  return jsonResponse(200, {
    '@odata.context': `${ctx.serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: ctx.caller.businessUnitId,
    UserId: ctx.caller.systemUserId,
    OrganizationId: ctx.env.organization.organizationId,
  });
}
