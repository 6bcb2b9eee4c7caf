import { parseArgs } from 'node:util';
import { buildLeadbridge, parseProcessRoles } from '../app/index.js';
import { loadConfig } from '../config/index.js';
import { displayUrl, listenOrExplain, runUntilStopped, webRoot } from './process-lifecycle.js';

/**
 * `leadbridge serve [--role api|worker|scheduler ...] [--port P] [--host H] [--data DIR]`: one part of
 * a scaled-out installation (DESIGN.md §1). Any number of `api` and `worker` processes share one
 * PostgreSQL database (DATABASE_URL), which is both the store and the queue; workers claim with
 * `FOR UPDATE SKIP LOCKED` and hear of new work by NOTIFY; of several schedulers one leads. On
 * SQLite a second worker is refused. Unlike `start`, it never starts an emulator: it serves what is configured.
 */
export async function runServeCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      role: { type: 'string', multiple: true },
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
    },
  });
  const roles = parseProcessRoles(values.role);
  const config = loadConfig(process.env, {
    'http.port': values.port,
    'http.host': values.host,
    dataDir: values.data,
  });
  const leadbridge = await buildLeadbridge({ config, webRoot: webRoot(), roles });
  for (const warning of leadbridge.warnings) process.stderr.write(`leadbridge: ${warning}\n`);
  try {
    const lines: string[] = [];
    if (roles.includes('api')) {
      const address = await listenOrExplain(
        () => leadbridge.app.listen({ host: config.http.host, port: config.http.port }),
        `${config.http.host}:${config.http.port}`,
      );
      lines.push(`Leadbridge listening on ${displayUrl(address)}/`);
    }
    // Scripts and orchestrators wait for this line: every role asked for is running.
    lines.push(`Leadbridge running: ${roles.join(', ')} (store: ${leadbridge.storeLocation})`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    await leadbridge.close();
    throw error;
  }
  return runUntilStopped(() => leadbridge.close());
}
