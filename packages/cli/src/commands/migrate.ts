import { Flags } from '@oclif/core';
import { createDatabase, databaseTargetFrom, keepPaymentPathPlanned, loadConfig, migrateToLatest } from '@paygate/server';
import { ServerCommand } from '../server-command.js';

export default class Migrate extends ServerCommand {
  static override summary = 'Bring the database schema up to date.';
  static override description =
    "Uses DATABASE_URL when set, else the embedded database in --data-dir. Also creates this version's functions for the statements every payment runs (planned once per connection), so that gateways started with PAYGATE_MIGRATE_ON_START=false find them.";
  static override examples = ['DATABASE_URL=postgres://postgres@127.0.0.1/paygate <%= config.bin %> migrate', '<%= config.bin %> migrate --json'];
  static override enableJsonFlag = true;
  static override flags = {
    'data-dir': Flags.string({ description: 'Embedded database folder (when DATABASE_URL is unset).', env: 'PAYGATE_DATA_DIR', default: '.paygate' }),
  };

  async run(): Promise<{ applied: string[] }> {
    const { flags } = await this.parse(Migrate);
    const config = loadConfig({ dataDir: flags['data-dir'] });
    const db = createDatabase(databaseTargetFrom(config));
    try {
      const applied = await migrateToLatest(db);
      // With the migrator's rights, so that gateways that run no DDL find them (PAYGATE_MIGRATE_ON_START=false).
      await keepPaymentPathPlanned(db, { create: true, warn: (message) => this.warn(message) });
      this.log(applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`);
      return { applied };
    } finally {
      await db.destroy();
    }
  }
}
