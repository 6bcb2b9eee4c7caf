export {
  buildDataverseEmulator,
  type DataverseEmulator,
  type DataverseEmulatorOptions,
} from './dataverse-emulator.js';
export type { AlternateKey, DuplicateRule } from './environment.js';
