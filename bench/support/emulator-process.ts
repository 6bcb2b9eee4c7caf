import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

/** A Dataverse emulator started through the real CLI, in its own process, as a user would start it. */
export interface EmulatorProcess {
  readonly url: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  token(): Promise<string>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(args: readonly string[]): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [resolve('bin/leadbridge.js'), 'emulator', 'dataverse', '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let banner = '';
  await new Promise<void>((done, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      // The banner is complete once the sample request (its last line) has been printed.
      if (banner.includes('/WhoAmI')) done();
    });
    child.once('exit', (code) => fail(new Error(`emulator exited with ${String(code)}:\n${banner}`)));
  });
  const field = (label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(banner)?.[1] ?? '';
  const url = /listening on (\S+)/.exec(banner)?.[1] ?? '';
  const tenantId = field('Tenant id');
  const clientId = field('Client id');
  const clientSecret = field('Client secret');
  return {
    url,
    tenantId,
    clientId,
    clientSecret,
    async token() {
      const response = await fetch(`${url}${tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          scope: `${url}.default`,
        }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
