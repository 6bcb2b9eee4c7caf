import { CRM_SIGN_IN_CALLBACK_PATH } from '@contracts';

/**
 * Where Entra ID sends the browser back after a person's own CRM sign-in: this app's origin plus the
 * callback page. Admins register exactly this URI (platform "Web") on the connection's app registration.
 */
export function crmSignInRedirectUri(origin: string = window.location.origin): string {
  return `${origin}${CRM_SIGN_IN_CALLBACK_PATH}`;
}
