/**
 * A person's own sign-in (authorization code + PKCE, then silent refresh) through msal-node and our
 * network module, against the emulator's Entra ID and its HTML sign-in page; and the refusal of a
 * sign-in that lands in another organisation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamicsConnector } from '../../../src/connectors/dynamics/index.js';
import type { CrmConnection } from '../../../src/domain/index.js';
import { startDataverseEmulator, type RunningEmulator } from '../../support/dataverse-emulator.js';
import {
  connectionTo,
  failureOf,
  MemoryRequestCounter,
  MemoryTokenCaches,
  RecordingLogger,
  SharedClock,
  secretOf,
  signInAs,
} from './dynamics-test-support.js';

const REDIRECT_URI = 'http://localhost:53682/redirect';
const clock = new SharedClock();
let first: RunningEmulator;
let second: RunningEmulator;

beforeAll(async () => {
  [first, second] = await Promise.all([
    startDataverseEmulator({ limits: 'off', seed: 7, now: clock.now, accessTokenLifetimeSeconds: 900 }),
    startDataverseEmulator({ limits: 'off', seed: 8 }),
  ]);
});
afterAll(async () => {
  await first?.close();
  await second?.close();
});

function connector(target: RunningEmulator) {
  const tokenCaches = new MemoryTokenCaches();
  const logger = new RecordingLogger();
  const dynamics = new DynamicsConnector({
    tokenCaches,
    requestCounter: new MemoryRequestCounter(),
    logger,
    allowedHosts: [new URL(target.url).host],
    extraCaPem: target.emulator.tls.caPem,
    now: clock.now,
    sleep: clock.sleep,
  });
  return { dynamics, tokenCaches, logger };
}

async function signIn(
  dynamics: DynamicsConnector,
  target: RunningEmulator,
  connection: CrmConnection,
  userId: string,
  person = target.emulator.directory.users[0],
) {
  const credentials = { clientSecret: secretOf(target) };
  const start = await dynamics.beginUserSignIn(connection, credentials, {
    userId,
    redirectUri: REDIRECT_URI,
    state: `state-${userId}`,
    ...(person ? { loginHint: person.userPrincipalName } : {}),
  });
  const authorize = new URL(start.url);
  expect(`${authorize.origin}${authorize.pathname}`).toBe(
    `${target.emulator.authority()}/oauth2/v2.0/authorize`,
  );
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('scope')?.split(' ')).toEqual(
    expect.arrayContaining([`${connection.environmentUrl}user_impersonation`, 'offline_access']),
  );
  const redirect = await signInAs(start.url, person?.objectId ?? '');
  expect(redirect.searchParams.get('state')).toBe(`state-${userId}`);
  return dynamics.completeUserSignIn(connection, credentials, {
    userId,
    code: redirect.searchParams.get('code') ?? '',
    redirectUri: REDIRECT_URI,
    codeVerifier: start.codeVerifier,
  });
}

describe('a person signs in to the connection’s environment', () => {
  it('redeems the code, checks WhoAmI as the person, keeps their refresh token and refreshes silently', async () => {
    const { dynamics, tokenCaches, logger } = connector(first);
    const connection = connectionTo(first, {
      organizationId: first.emulator.env.organization.organizationId,
    });
    const avery = first.emulator.directory.users[0];
    const identity = await signIn(dynamics, first, connection, 'leadbridge-user-1');
    expect(identity).toMatchObject({
      userId: avery?.systemUserId,
      organizationId: first.emulator.env.organization.organizationId,
      userFullName: 'Avery Demo',
    });
    expect(tokenCaches.caches.get(`${connection.id}/leadbridge-user-1`)).toContain('RefreshToken');

    // Later, as that person: the access token expired for Dataverse, so the refresh token gets a new one.
    const asAvery = dynamics.userClient(connection, { clientSecret: secretOf(first) }, 'leadbridge-user-1');
    clock.advance(16 * 60_000);
    expect((await asAvery.whoAmI()).userId).toBe(avery?.systemUserId);
    const statuses = logger.dataverse().map((line) => line['status']);
    expect(statuses.slice(-2)).toEqual([401, 200]);
    await dynamics.close();
  });

  it('asks a person who never signed in to sign in', async () => {
    const { dynamics } = connector(first);
    const connection = connectionTo(first);
    const failure = await failureOf(
      dynamics.userClient(connection, { clientSecret: secretOf(first) }, 'nobody').whoAmI(),
    );
    expect(failure.code).toBe('crm_reauthorization_needed');
    await dynamics.close();
  });

  it('learns the organisation from the application user when the connection was never tested', async () => {
    const { dynamics } = connector(first);
    const identity = await signIn(
      dynamics,
      first,
      connectionTo(first),
      'leadbridge-user-2',
      first.emulator.directory.users[1],
    );
    expect(identity.organizationId).toBe(first.emulator.env.organization.organizationId);
    await dynamics.close();
  });
});

describe('a sign-in that lands in another organisation', () => {
  it('is refused with crm_wrong_environment naming both, and its tokens are forgotten', async () => {
    // The connection was tested against the first emulator's organisation; the person signs in at the
    // second one (another tenant, another environment): WhoAmI answers a different organisation id.
    const { dynamics, tokenCaches } = connector(second);
    const expected = first.emulator.env.organization.organizationId;
    const actual = second.emulator.env.organization.organizationId;
    expect(actual).not.toBe(expected);
    const connection = connectionTo(second, { organizationId: expected });
    const failure = await failureOf(signIn(dynamics, second, connection, 'leadbridge-user-3'));
    expect(failure.code).toBe('crm_wrong_environment');
    expect(failure.message).toContain(`You signed in to organisation ${actual}`);
    expect(failure.message).toContain(`belongs to organisation ${expected}`);
    expect(tokenCaches.caches.has(`${connection.id}/leadbridge-user-3`)).toBe(false);
    await expect(
      dynamics.userClient(connection, { clientSecret: secretOf(second) }, 'leadbridge-user-3').whoAmI(),
    ).rejects.toMatchObject({ code: 'crm_reauthorization_needed' });
    await dynamics.close();
  });
});
