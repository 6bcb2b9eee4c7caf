import { describe, expect, it } from 'vitest';
import { LeadbridgeError } from '../shared/errors.js';
import { loadConfig, printableConfig } from './load-config.js';

describe('loadConfig', () => {
  it('applies defaults, then the environment, then flags', () => {
    expect(loadConfig({}).emulators.dataverse).toMatchObject({
      host: '127.0.0.1',
      port: 8443,
      seed: 1,
      limits: 'real',
    });
    const config = loadConfig(
      { LEADBRIDGE_DATAVERSE_EMULATOR_PORT: '9000', LEADBRIDGE_DATAVERSE_EMULATOR_SEED: '4' },
      { 'emulators.dataverse.seed': '5', 'emulators.dataverse.limits': 'off' },
    );
    expect(config.emulators.dataverse).toMatchObject({ port: 9000, seed: 5, limits: 'off' });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig(
        { LEADBRIDGE_LOG_LEVEL: 'loud' },
        { 'emulators.dataverse.port': '70000', 'emulators.dataverse.faultRate': '2' },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LeadbridgeError);
    const message = (error as LeadbridgeError).message;
    expect((error as LeadbridgeError).code).toBe('invalid_config');
    for (const path of ['logLevel', 'emulators.dataverse.port', 'emulators.dataverse.faultRate'])
      expect(message).toContain(path);
  });

  it('masks secrets when printing', () => {
    const printed = printableConfig(
      loadConfig({ DATABASE_URL: 'postgres://app:hunter2@db:5432/leads', LEADBRIDGE_SECRET_KEY: 'c2VjcmV0' }),
    );
    expect(printed).not.toContain('hunter2');
    expect(printed).not.toContain('c2VjcmV0');
    expect(printed).toContain('postgres://app:********@db:5432/leads');
  });

  it('ignores empty environment variables', () => {
    expect(loadConfig({ LEADBRIDGE_DATAVERSE_EMULATOR_PORT: '' }).emulators.dataverse.port).toBe(8443);
  });
});
