import type { FastifyReply } from 'fastify';
import type { SessionGrant } from './app-services.js';

export const SESSION_COOKIE = 'lb_session';

/** HTTP-only, SameSite=Lax, Secure when served over HTTPS: the session token never reaches scripts. */
export function setSessionCookie(reply: FastifyReply, grant: SessionGrant): void {
  void reply.setCookie(SESSION_COOKIE, grant.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: reply.request.protocol === 'https',
    path: '/',
    expires: grant.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
