import { createReadStream, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildLeadbridge, type Leadbridge } from '../app/index.js';
import { loadConfig } from '../config/index.js';
import { LeadbridgeError } from '../shared/errors.js';
import { ProgressLine } from './progress-line.js';

/** `leadbridge sync run|status|replay` and `leadbridge import csv`: the sync engine from a terminal. */

async function withLeadbridge<T>(
  data: string | undefined,
  work: (leadbridge: Leadbridge) => Promise<T>,
): Promise<T> {
  // No background worker: these commands do their work in the foreground and exit.
  const leadbridge = await buildLeadbridge({
    config: loadConfig(process.env, { dataDir: data }),
  });
  try {
    return await work(leadbridge);
  } finally {
    await leadbridge.close();
  }
}

const SYNC_USAGE =
  'Use: leadbridge sync run [--data DIR] | sync status [--data DIR] | sync replay (--lead ID ... | --source ID --failed) [--data DIR]';

export async function runSyncCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'run': {
      const { values } = parseArgs({ args: rest, strict: true, options: { data: { type: 'string' } } });
      return withLeadbridge(values.data, async (leadbridge) => {
        // A whole cycle: changes from the CRM first (two-way sync), then the queue.
        for (const connection of await leadbridge.repositories.crmConnections.list())
          await leadbridge.scheduler.runCycle(connection).catch((error: Error) => {
            process.stderr.write(`Changes from ${connection.name} could not be read: ${error.message}\n`);
          });
        const pass = await leadbridge.worker.drain();
        process.stdout.write(
          `Synced ${pass.claimed} job(s): ${pass.done} done, ${pass.retried} to retry, ${pass.dead} dead-lettered.\n`,
        );
        return pass.dead > 0 ? 1 : 0;
      });
    }
    case 'status': {
      const { values } = parseArgs({ args: rest, strict: true, options: { data: { type: 'string' } } });
      return withLeadbridge(values.data, async (leadbridge) => {
        const status = await leadbridge.sync.status();
        const counts = (record: Record<string, number>) =>
          Object.entries(record)
            .map(([key, value]) => `${key} ${value}`)
            .join(', ');
        process.stdout.write(`Leads: ${counts(status.leads)}\nJobs: ${counts(status.jobs)}\n`);
        for (const connection of status.connections)
          process.stdout.write(
            `Connection ${connection.name}: ${connection.status}${connection.statusReason ? ` (${connection.statusReason})` : ''}, ${connection.requestsToday} requests today\n`,
          );
        return 0;
      });
    }
    case 'replay': {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: {
          data: { type: 'string' },
          lead: { type: 'string', multiple: true },
          source: { type: 'string' },
          failed: { type: 'boolean' },
        },
      });
      const request = values.lead?.length
        ? { leadIds: values.lead }
        : values.source && values.failed
          ? { sourceId: values.source, failed: true as const }
          : undefined;
      if (!request) throw new LeadbridgeError('invalid_arguments', SYNC_USAGE);
      return withLeadbridge(values.data, async (leadbridge) => {
        const { requeued } = await leadbridge.sync.replay(request, {});
        process.stdout.write(
          `Queued ${requeued} lead(s) again; \`leadbridge sync run\` or a running server syncs them.\n`,
        );
        return 0;
      });
    }
    default:
      throw new LeadbridgeError('invalid_arguments', SYNC_USAGE);
  }
}

const IMPORT_USAGE = 'Use: leadbridge import csv FILE --source ID [--map HEADER=FIELD ...] [--data DIR]';

/** `leadbridge import csv FILE --source ID`: streamed, with a progress bar on stderr. */
export async function runImportCommand(args: readonly string[]): Promise<number> {
  const [kind, ...rest] = args;
  if (kind !== 'csv') throw new LeadbridgeError('invalid_arguments', IMPORT_USAGE);
  const { values, positionals } = parseArgs({
    args: rest,
    strict: true,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      source: { type: 'string' },
      map: { type: 'string', multiple: true },
    },
  });
  const file = positionals[0];
  if (!file || !values.source || positionals.length > 1)
    throw new LeadbridgeError('invalid_arguments', IMPORT_USAGE);
  const headerMapping: Record<string, string> = {};
  for (const pair of values.map ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new LeadbridgeError('invalid_arguments', `--map ${pair}: use HEADER=FIELD.`);
    headerMapping[pair.slice(0, at)] = pair.slice(at + 1);
  }
  let totalBytes: number;
  try {
    totalBytes = statSync(file).size;
  } catch {
    throw new LeadbridgeError('invalid_arguments', `Cannot read ${file}.`);
  }
  const sourceId = values.source;
  return withLeadbridge(values.data, async (leadbridge) => {
    const progress = new ProgressLine(process.stderr, 'Importing');
    const result = await leadbridge.capture.importCsv(sourceId, createReadStream(file), {
      headerMapping,
      totalBytes,
      onProgress: ({ bytesRead, rows }) =>
        progress.update(bytesRead / Math.max(totalBytes, 1), `${rows} rows`),
    });
    progress.done(`${result.rows} rows`);
    process.stdout.write(
      `Imported ${result.accepted} new lead(s), ${result.duplicates} already known, ${result.failed} row(s) failed.\n`,
    );
    for (const failure of result.errors.slice(0, 20))
      process.stdout.write(`  row ${failure.row}: ${failure.errors.join('; ')}\n`);
    if (result.errors.length > 20) process.stdout.write(`  … and ${result.failed - 20} more.\n`);
    return result.failed > 0 ? 1 : 0;
  });
}
