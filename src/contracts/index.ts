/** The typed HTTP API shared by src/http and web/: request and response schemas (zod). */
export * from './api-error.js';
export * from './connections.contract.js';
export * from './roles.js';
export * from './session.contract.js';
export * from './users.contract.js';
export * from './sources.contract.js';
export * from './sync.contract.js';
