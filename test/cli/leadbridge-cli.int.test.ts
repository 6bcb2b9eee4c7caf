import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

/** Runs the CLI from source, as its own process, the way `npx leadbridge …` runs the built copy. */
function leadbridge(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run-cli.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number);
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitFor(read: () => string, text: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!read().includes(text)) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for '${text}' in:\n${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('leadbridge emulator dataverse', () => {
  it('prints the listening line and the app registration, answers WhoAmI, and stops on SIGTERM', async () => {
    // test/global-setup.ts made the CA this process trusts in test-results/dataverse-emulator-tls.
    const run = leadbridge(['emulator', 'dataverse', '--port', '0', '--seed', '3'], {
      LEADBRIDGE_DATA_DIR: 'test-results',
    });
    await waitFor(() => run.output().stdout, '/WhoAmI');
    const { stdout } = run.output();
    const url = /Dataverse emulator listening on (https:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
    const tenant = /Tenant id\s+(\S+)/.exec(stdout)?.[1];
    const clientId = /Client id\s+(\S+)/.exec(stdout)?.[1];
    const secret = /Client secret\s+(\S+)/.exec(stdout)?.[1];
    expect(url && tenant && clientId && secret).toBeTruthy();
    expect(stdout).toContain('NODE_EXTRA_CA_CERTS=');

    const token = (await (
      await fetch(`${url}${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId ?? '',
          client_secret: secret ?? '',
          scope: `${url}.default`,
        }),
      })
    ).json()) as { access_token: string };
    const whoAmI = await fetch(`${url}api/data/v9.2/WhoAmI`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    expect(whoAmI.status).toBe(200);
    expect(await whoAmI.json()).toMatchObject({
      UserId: expect.any(String),
      OrganizationId: expect.any(String),
    });

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('refuses an unknown flag and an invalid value with a clear message and exit code 2', async () => {
    const unknown = leadbridge(['emulator', 'dataverse', '--colour', 'blue']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output().stderr).toMatch(/Unknown option '--colour'.*\[invalid_arguments\]/);

    const invalid = leadbridge(['emulator', 'dataverse', '--port', 'eighty', '--limits', 'some']);
    expect(await invalid.exited).toBe(1);
    const { stderr } = invalid.output();
    expect(stderr).toContain('emulators.dataverse.port');
    expect(stderr).toContain('emulators.dataverse.limits');
    expect(stderr).toContain('[invalid_config]');
  });
});

describe('leadbridge config --print', () => {
  it('prints the resolved configuration from the environment', async () => {
    const run = leadbridge(['config', '--print'], { LEADBRIDGE_DATAVERSE_EMULATOR_PORT: '9999' });
    expect(await run.exited).toBe(0);
    const printed = JSON.parse(run.output().stdout) as {
      emulators: { dataverse: { port: number; limits: string } };
    };
    expect(printed.emulators.dataverse).toMatchObject({ port: 9999, limits: 'real' });
  });

  it('names an unknown command', async () => {
    const run = leadbridge(['frobnicate']);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain("'frobnicate'");
  });
});
