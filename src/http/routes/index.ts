import type { RouteDefinition } from '../route-definition.js';
import { captureRoutes } from './capture.routes.js';
import { connectionRoutes } from './connection.routes.js';
import { healthRoutes } from './health.routes.js';
import { sessionRoutes } from './session.routes.js';
import { sourceRoutes } from './source.routes.js';
import { syncRoutes } from './sync.routes.js';
import { userRoutes } from './user.routes.js';

/** Every route of the app, in one list: registration, OpenAPI and the role-walk test read it. */
export const allRoutes: readonly RouteDefinition[] = [
  ...healthRoutes,
  ...sessionRoutes,
  ...userRoutes,
  ...connectionRoutes,
  ...sourceRoutes,
  ...captureRoutes,
  ...syncRoutes,
];
