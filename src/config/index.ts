export { configSchema, ENVIRONMENT_VARIABLES, SECRET_PATHS, type LeadbridgeConfig } from './config-schema.js';
export { loadConfig, printableConfig } from './load-config.js';
