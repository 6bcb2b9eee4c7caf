export { errorCatalogue, LeadbridgeError, type ErrorCode } from './errors.js';
export { err, ok, type Result } from './result.js';
