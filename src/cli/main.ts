import { parseArgs } from 'node:util';
import { loadConfig, printableConfig } from '../config/index.js';
import { LeadbridgeError } from '../shared/errors.js';
import { runMigrateCommand, runSecretsCommand, runTokenCommand, runUserCommand } from './admin.commands.js';
import { runDataverseEmulatorCommand } from './emulator-dataverse.command.js';
import { runServeCommand } from './serve.command.js';
import { runStartCommand } from './start.command.js';
import { runImportCommand, runSyncCommand } from './sync.commands.js';

const USAGE = `Usage: leadbridge <command> [options]

Commands:
  start [--demo] [--port P] [--data DIR]
                     Run Leadbridge (API, UI); with --demo, or no CRM connection yet, beside a
                     Dataverse emulator it connects to.
  serve [--role api|worker|scheduler ...] [--port P] [--host H] [--data DIR]
                     One part of a scaled-out installation (default: all three roles); with
                     DATABASE_URL=postgres://…, any number of each (one scheduler leads).
  migrate [--data DIR]                       Bring the database schema up to date.
  user create --admin --email E --name N     Create a user (prints a password unless --password).
  token create --role admin|lead_gen_admin|salesperson [--data DIR]
                     Print an API token for scripts.
  secrets rotate [--data DIR]                Re-encrypt every stored secret under a new key.
  sync run|status [--data DIR]               Sync queued leads now / show the queue and connections.
  sync replay (--lead ID ... | --source ID --failed) [--data DIR]
                     Queue leads again, e.g. a source's failures after a mapping fix.
  import csv FILE --source ID [--map HEADER=FIELD ...] [--data DIR]
                     Import a CSV file into a source (streamed, with progress).
  emulator dataverse [--host H] [--port P] [--seed N] [--data DIR] [--limits real|off] [--latency-ms N]
                     Run the Dataverse Web API + Entra ID emulator.
  config --print     Show the resolved configuration (secrets masked).
  help               Show this help.`;

/** The CLI's entry point; returns the process exit code (long-running commands resolve when stopped). */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await runStartCommand(rest);
      case 'serve':
        return await runServeCommand(rest);
      case 'migrate':
        return await runMigrateCommand(rest);
      case 'user':
        return await runUserCommand(rest);
      case 'token':
        return await runTokenCommand(rest);
      case 'sync':
        return await runSyncCommand(rest);
      case 'import':
        return await runImportCommand(rest);
      case 'secrets':
        return await runSecretsCommand(rest);
      case 'emulator':
        if (rest[0] === 'dataverse') return await runDataverseEmulatorCommand(rest.slice(1));
        throw new LeadbridgeError(
          'unknown_command',
          `Unknown emulator '${rest[0] ?? ''}'. Available: dataverse.`,
        );
      case 'config': {
        const { values } = parseArgs({ args: rest, options: { print: { type: 'boolean' } }, strict: true });
        if (!values.print) throw new LeadbridgeError('invalid_arguments', 'Use: leadbridge config --print');
        process.stdout.write(`${printableConfig(loadConfig(process.env))}\n`);
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 1 : 0;
      default:
        throw new LeadbridgeError('unknown_command', `'${command}'. Run 'leadbridge help' for the list.`);
    }
  } catch (error) {
    if (error instanceof LeadbridgeError) {
      process.stderr.write(`leadbridge: ${error.message} [${error.code}]\n`);
      return error.status >= 500 ? 1 : 2;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`leadbridge: ${error.message} [invalid_arguments]\n`);
      return 2;
    }
    throw error;
  }
}
