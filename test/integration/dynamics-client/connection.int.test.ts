/**
 * The Dynamics connector's connection test over real HTTPS against the Dataverse + Entra ID emulator:
 * client credentials through msal-node with our own network module, WhoAmI, the systemuser's name,
 * and what a person sees when it goes wrong.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DataverseClient,
  DynamicsConnector,
  type DynamicsConnectorOptions,
} from '../../../src/connectors/dynamics/index.js';
import {
  demoEntraDirectoryInput,
  parseEntraDirectory,
} from '../../../src/emulators/dataverse/entra/index.js';
import { startDataverseEmulator, type RunningEmulator } from '../../support/dataverse-emulator.js';
import {
  connectionTo,
  failureOf,
  MemoryRequestCounter,
  MemoryTokenCaches,
  RecordingLogger,
  SharedClock,
  secretOf,
  startPrivateCaEmulator,
} from './dynamics-test-support.js';

let running: Awaited<ReturnType<typeof startPrivateCaEmulator>>;

beforeAll(async () => {
  running = await startPrivateCaEmulator({ limits: 'off' });
});
afterAll(async () => {
  await running?.close();
  running?.removeTlsDir();
});

/** `trustEmulatorCa: false` leaves the emulator's private CA out of the connector's dispatcher. */
function connector(
  target: RunningEmulator,
  {
    trustEmulatorCa = true,
    ...extra
  }: DynamicsConnectorOptions & { readonly trustEmulatorCa?: boolean } = {},
) {
  const logger = new RecordingLogger();
  const tokenCaches = new MemoryTokenCaches();
  const requestCounter = new MemoryRequestCounter();
  const clock = new SharedClock();
  const dynamics = new DynamicsConnector({
    tokenCaches,
    requestCounter,
    logger,
    allowLoopback: true,
    ...(trustEmulatorCa ? { extraCaPem: target.emulator.tls.caPem } : {}),
    sleep: clock.sleep,
    ...extra,
  });
  return { dynamics, logger, tokenCaches, requestCounter, clock };
}

describe('testConnection', () => {
  it('gets a token, asks WhoAmI and names the application user', async () => {
    const { dynamics, requestCounter, tokenCaches, logger } = connector(running, {
      dailyWarningThreshold: 2,
    });
    const connection = connectionTo(running);
    const app = running.emulator.directory.applications[0];
    const result = await dynamics.testConnection(connection, { clientSecret: secretOf(running) });
    expect(result).toEqual({
      environmentUrl: running.url,
      userId: app?.systemUserId,
      organizationId: running.emulator.env.organization.organizationId,
      businessUnitId: running.emulator.env.organization.businessUnitId,
      userFullName: expect.stringContaining('Leadbridge Sync'),
    });
    // WhoAmI + systemusers(<id>): two Dataverse requests for the day; the token call is Entra's.
    expect(requestCounter.total(connection.id)).toBe(2);
    expect(logger.dataverse().map((line) => `${line['method']} ${line['path']} ${line['status']}`)).toEqual([
      'GET WhoAmI 200',
      `GET systemusers(${app?.systemUserId}) 200`,
    ]);
    for (const line of logger.dataverse()) {
      expect(line['reqId']).toMatch(/^[0-9a-f-]{36}$/);
      expect(line['durationMs']).toEqual(expect.any(Number));
    }
    expect(dynamics.connectionStatus(connection.id)).toMatchObject({ status: 'active' });
    // The daily warning threshold (2) was reached: logged once for the day, and shown.
    await dynamics.testConnection(connection, { clientSecret: secretOf(running) });
    const warnings = logger.lines.filter((line) => line.message.includes('warning threshold'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.object).toMatchObject({
      connectionId: connection.id,
      requests: 2,
      warningThreshold: 2,
    });
    expect(await dynamics.requestUsage(connection, { clientSecret: secretOf(running) })).toMatchObject({
      requests: 4,
      warningThreshold: 2,
      thresholdReached: true,
    });
    // The application token cache went to the store (which encrypts it), keyed by connection.
    expect(tokenCaches.caches.get(`${connection.id}/app`)).toContain('AccessToken');
    await dynamics.close();
  });

  it('authenticates with a certificate: SHA-256 thumbprint from the PEM, or SHA-1 with a PKCS#1 key', async () => {
    const generated = await generate([{ name: 'commonName', value: 'leadbridge connector test' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    // Register the certificate on the emulator's app, as an admin uploads it in the portal.
    const input = demoEntraDirectoryInput(7);
    const [demoApp] = input.applications ?? [];
    if (!demoApp) throw new Error('no demo app');
    const parsed = parseEntraDirectory({
      ...input,
      applications: [{ ...demoApp, certificates: [{ certificatePem: generated.cert }] }],
    });
    const credential = parsed.applications[0]?.certificates[0];
    const app = running.emulator.directory.applications[0];
    if (!credential || !app) throw new Error('no certificate credential');
    (app.certificates as unknown as (typeof credential)[]).push(credential);

    const { dynamics } = connector(running);
    const withPem = await dynamics.testConnection(connectionTo(running, { authKind: 'certificate' }), {
      certificatePem: generated.cert,
      privateKeyPem: generated.private,
    });
    expect(withPem.userId).toBe(app.systemUserId);
    const pkcs1 = createPrivateKey(generated.private).export({ format: 'pem', type: 'pkcs1' }).toString();
    const sha1 = new X509Certificate(generated.cert).fingerprint;
    const withThumbprint = await dynamics.testConnection(
      connectionTo(running, { authKind: 'certificate', certificateThumbprint: sha1 }),
      { privateKeyPem: pkcs1 },
    );
    expect(withThumbprint.organizationId).toBe(running.emulator.env.organization.organizationId);
    await dynamics.close();
  });

  it('trusts the emulator CA only because it was passed explicitly', async () => {
    const { dynamics } = connector(running, { trustEmulatorCa: false });
    const failure = await failureOf(
      dynamics.testConnection(connectionTo(running), { clientSecret: secretOf(running) }),
    );
    expect(failure.code).toBe('crm_unreachable');
    expect(failure.message).toMatch(/certificate that is not trusted/);
    expect(failure.vendor?.code).toMatch(/CERT|SIGNATURE/);
    await dynamics.close();
  });

  it("shows Entra's refusal of a wrong secret in plain words", async () => {
    const { dynamics } = connector(running);
    const connection = connectionTo(running);
    const failure = await failureOf(dynamics.testConnection(connection, { clientSecret: 'not-the-secret' }));
    expect(failure.code).toBe('crm_auth_failed');
    expect(failure.vendor?.code).toBe('AADSTS7000215');
    expect(failure.message).toContain(
      'Entra ID said "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID',
    );
    expect(failure.message).not.toMatch(/Trace ID|Correlation ID/);
    await dynamics.close();
  });

  it('says an environment whose port is closed is unreachable, after retrying', async () => {
    const closed = await startDataverseEmulator();
    const url = closed.url;
    await closed.close();
    const { dynamics, clock } = connector(running);
    const failure = await failureOf(
      dynamics.testConnection(connectionTo(running, { environmentUrl: url }), {
        clientSecret: secretOf(running),
      }),
    );
    expect(failure.code).toBe('crm_unreachable');
    expect(failure.retryable).toBe(true);
    expect(failure.vendor?.code).toBe('ECONNREFUSED');
    // The authority lives at the same origin here, so Entra ID is the first to be unreachable.
    expect(failure.message).toContain(`${new URL(url).origin} refused the connection`);
    expect(clock.waits.length).toBeGreaterThan(0);
    await dynamics.close();

    // A Dataverse request itself (token in hand) to the closed port: retried, then unreachable.
    const logger = new RecordingLogger();
    const client = new DataverseClient({
      environmentUrl: url,
      connectionId: 'closed',
      tokens: { accessToken: async () => 'token' },
      allowLoopback: true,
      logger,
      sleep: clock.sleep,
      retry: { maxAttempts: 3 },
    });
    const direct = await failureOf(client.whoAmI());
    expect(direct).toMatchObject({ code: 'crm_unreachable', vendor: { code: 'ECONNREFUSED' }, attempts: 3 });
    expect(client.connectionStatus()).toMatchObject({
      status: 'unreachable',
      vendor: { code: 'ECONNREFUSED' },
    });
    await client.close();
  });

  it('refuses a URL that is not a Dataverse environment before any network call', async () => {
    const { dynamics, logger } = connector(running, { allowLoopback: false });
    const failure = await failureOf(
      dynamics.testConnection(connectionTo(running, { environmentUrl: 'https://contoso.sharepoint.com/' }), {
        clientSecret: secretOf(running),
      }),
    );
    expect(failure.code).toBe('crm_url_invalid');
    expect(logger.lines).toEqual([]);
    await dynamics.close();
  });

  it('reuses the persisted token in a new process instead of asking Entra again', async () => {
    const first = connector(running);
    const connection = connectionTo(running);
    await first.dynamics.testConnection(connection, { clientSecret: secretOf(running) });
    await first.dynamics.close();
    const tokenPosts = (logger: RecordingLogger) =>
      logger.entra().filter((line) => String(line['path']).endsWith('/oauth2/v2.0/token')).length;
    expect(tokenPosts(first.logger)).toBe(1);

    const second = connector(running, { tokenCaches: first.tokenCaches });
    await second.dynamics.testConnection(connection, { clientSecret: secretOf(running) });
    expect(tokenPosts(second.logger)).toBe(0);
    await second.dynamics.close();
  });

  it('never logs a token, a secret or a query string', async () => {
    const { dynamics, logger, tokenCaches } = connector(running);
    const connection = connectionTo(running);
    const client = dynamics.client(connection, { clientSecret: secretOf(running) });
    await client.whoAmI();
    for await (const page of client.retrievePages('leads', {
      filter: "emailaddress1 eq 'someone@example.com'",
      pageSize: 5,
    }))
      expect(page).toEqual([]);
    // A wrong secret on a connection with no cached token: Entra's refusal goes through the log path too.
    await failureOf(dynamics.testConnection(connectionTo(running), { clientSecret: 'wrong-secret-value' }));
    const cache = JSON.parse(tokenCaches.caches.get(`${connection.id}/app`) ?? '{}') as {
      AccessToken?: Record<string, { secret: string }>;
    };
    const token = Object.values(cache.AccessToken ?? {})[0]?.secret ?? '';
    expect(token.length).toBeGreaterThan(100);
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(secretOf(running));
    expect(logged).not.toContain('someone@example.com');
    expect(logged).not.toContain('$filter');
    await dynamics.close();
  });
});
