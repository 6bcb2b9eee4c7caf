import { main } from './main.js';

/** The process entry: bin/leadbridge.js loads the compiled copy of this file. */
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
