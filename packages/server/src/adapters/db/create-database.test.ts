import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createDatabase, databaseTargetFrom } from './create-database.js';

describe('databaseTargetFrom', () => {
  it('sizes the PostgreSQL pool from PAYGATE_DATABASE_POOL_SIZE (the number docs/deploy.md multiplies by the process count)', async () => {
    const config = loadConfig({}, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PAYGATE_DATABASE_POOL_SIZE: '7' });
    const target = databaseTargetFrom(config);
    expect(target).toMatchObject({ kind: 'postgres', poolSize: 7 });
    // The pool opens connections lazily (min 0): nothing connects to the unreachable URL here.
    const db = createDatabase(target);
    try {
      expect((db.client.config as Knex.Config).pool?.max).toBe(7);
    } finally {
      await db.destroy();
    }
  });
});
