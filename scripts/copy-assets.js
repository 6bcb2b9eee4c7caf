// tsc does not copy non-TS assets; the emulator's table definitions ship inside dist/.
import { cpSync } from 'node:fs';

cpSync(
  'src/emulators/dataverse/metadata/dataverse-tables.json',
  'dist/emulators/dataverse/metadata/dataverse-tables.json',
);
