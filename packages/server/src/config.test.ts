import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig: production by default', () => {
  it('with nothing set, is production: no seed merchant, private webhook targets refused', () => {
    expect(loadConfig({}, {})).toMatchObject({ environment: 'production', testMode: false, seedTestMerchant: false, allowPrivateWebhookTargets: false });
  });

  it('does not let NODE_ENV=development turn a deployment into development', () => {
    expect(loadConfig({}, { NODE_ENV: 'development' }).environment).toBe('production');
  });

  it('test mode (TEST_MODE or the override) is development with the seed merchant and private targets', () => {
    for (const config of [loadConfig({}, { TEST_MODE: 'true' }), loadConfig({ testMode: true }, {})]) {
      expect(config).toMatchObject({ environment: 'development', testMode: true, seedTestMerchant: true, allowPrivateWebhookTargets: true });
    }
  });

  it('PAYGATE_ENV=production with test mode is a ConfigError that names both', () => {
    for (const [overrides, env] of [
      [{}, { PAYGATE_ENV: 'production', TEST_MODE: 'true' }],
      [{ testMode: true }, { PAYGATE_ENV: 'production' }],
      [{ environment: 'production', testMode: true }, {}],
    ] as const) {
      const error = (() => {
        try {
          loadConfig(overrides, env);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/PAYGATE_ENV=production cannot be combined with test mode/);
    }
  });

  it('an explicit development override (pg-cli dev) wins over PAYGATE_ENV, with or without test mode', () => {
    expect(loadConfig({ environment: 'development', testMode: true }, { PAYGATE_ENV: 'production' })).toMatchObject({
      environment: 'development',
      testMode: true,
    });
  });

  it('binds HOST when PAYGATE_HOST and the override are absent, and 127.0.0.1 when none is set', () => {
    expect(loadConfig({}, {}).host).toBe('127.0.0.1');
    expect(loadConfig({}, { HOST: '127.0.0.2' }).host).toBe('127.0.0.2');
    expect(loadConfig({}, { HOST: '127.0.0.2', PAYGATE_HOST: '127.0.0.3' }).host).toBe('127.0.0.3');
    expect(loadConfig({ host: '127.0.0.4' }, { HOST: '127.0.0.2', PAYGATE_HOST: '127.0.0.3' }).host).toBe('127.0.0.4');
  });
});

describe('loadConfig: PostgreSQL pool size', () => {
  it('is 10 connections per process unless PAYGATE_DATABASE_POOL_SIZE says otherwise', () => {
    expect(loadConfig({}, {}).databasePoolSize).toBe(10);
    expect(loadConfig({}, { PAYGATE_DATABASE_POOL_SIZE: '4' }).databasePoolSize).toBe(4);
  });

  it('refuses a pool below 2 connections (the migration lock holds one while migrations use another)', () => {
    expect(() => loadConfig({}, { PAYGATE_DATABASE_POOL_SIZE: '1' })).toThrow(/PAYGATE_DATABASE_POOL_SIZE/);
  });
});

describe('loadConfig: migrating at start', () => {
  it('migrates at start unless PAYGATE_MIGRATE_ON_START says otherwise (true/false, 1/0, yes/no; empty is unset)', () => {
    expect(loadConfig({}, {}).migrateOnStart).toBe(true);
    expect(loadConfig({}, { PAYGATE_MIGRATE_ON_START: '' }).migrateOnStart).toBe(true);
    expect(loadConfig({}, { PAYGATE_MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false);
    expect(loadConfig({}, { PAYGATE_MIGRATE_ON_START: '0' }).migrateOnStart).toBe(false);
    expect(loadConfig({}, { PAYGATE_MIGRATE_ON_START: 'no' }).migrateOnStart).toBe(false);
    expect(loadConfig({}, { PAYGATE_MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(true);
  });

  it('lets the override win over the environment', () => {
    expect(loadConfig({ migrateOnStart: true }, { PAYGATE_MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(true);
  });

  it('refuses anything but a boolean, naming the variable', () => {
    expect(() => loadConfig({}, { PAYGATE_MIGRATE_ON_START: 'never' })).toThrow(/PAYGATE_MIGRATE_ON_START: must be true or false/);
  });
});

describe('loadConfig: trusted proxies', () => {
  it('believes no X-Forwarded-For unless PAYGATE_TRUST_PROXY names the proxies', () => {
    expect(loadConfig({}, {}).trustProxy).toBe(false);
    expect(loadConfig({}, { PAYGATE_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({}, { PAYGATE_TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
  });

  it('refuses "trust any" and hop counts (a client could claim any address), and anything that is not an address or range', () => {
    for (const value of ['true', '1', 'proxy.internal', '10.0.0.0/33', '10.0.0.1/8/2']) {
      expect(() => loadConfig({}, { PAYGATE_TRUST_PROXY: value }), value).toThrow(/PAYGATE_TRUST_PROXY: must be false or the proxies' addresses/);
    }
  });
});
