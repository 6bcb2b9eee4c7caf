export { buildLeadbridge, type BuildLeadbridgeOptions, type Leadbridge } from './build-leadbridge.js';
export { DEMO_ADMIN_EMAIL, prepareDemo, type DemoEnvironment } from './demo-setup.js';
export { parseProcessRoles, PROCESS_ROLES, type ProcessRole } from './process-roles.js';
