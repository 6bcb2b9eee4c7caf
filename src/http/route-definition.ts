import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Role } from '../contracts/roles.js';
import type { AppServices, Principal } from './app-services.js';

/**
 * Who may call a route: anyone, any signed-in user, the listed roles, or whoever holds an API key of
 * the lead source named by the `:sourceId` parameter (capture endpoints).
 */
export type Access = 'public' | 'signed_in' | 'source_key' | readonly Role[];

export interface RouteInput<TBody, TParams, TQuery> {
  readonly body: TBody;
  readonly params: TParams;
  readonly query: TQuery;
  /** Undefined only on public and source-key routes. */
  readonly principal: Principal | undefined;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly services: AppServices;
}

/**
 * One endpoint: its path, who may call it, the zod schemas of what goes in and out, and the handler.
 * Every route of the REST API is declared this way, so validation, role checks, the OpenAPI document
 * and the role-walk test all read the same declarations.
 */
export interface RouteDefinition<TBody = unknown, TParams = unknown, TQuery = unknown, TResponse = unknown> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly summary: string;
  readonly access: Access;
  readonly body?: z.ZodType<TBody>;
  readonly params?: z.ZodType<TParams>;
  readonly query?: z.ZodType<TQuery>;
  /** Undefined for 204 answers. */
  readonly response?: z.ZodType<TResponse>;
  readonly status?: number;
  handler(input: RouteInput<TBody, TParams, TQuery>): Promise<TResponse>;
}

/** Keeps the generic types of one route while collecting routes of different shapes in one list. */
export function defineRoute<
  TBody = undefined,
  TParams = undefined,
  TQuery = undefined,
  TResponse = undefined,
>(route: RouteDefinition<TBody, TParams, TQuery, TResponse>): RouteDefinition {
  return route as unknown as RouteDefinition;
}
