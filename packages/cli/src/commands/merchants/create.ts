import { Flags } from '@oclif/core';
import { createMerchantOnDatabase, loadConfig } from '@paygate/server';
import { ServerCommand } from '../../server-command.js';

export default class MerchantsCreate extends ServerCommand {
  static override summary = 'Create a merchant directly in the database (production onboarding).';
  static override description = `Prints the API key, API secret and webhook secret once: only a hash of the API secret is stored.
Uses DATABASE_URL when set, else the embedded database in --data-dir.`;
  static override examples = [
    'DATABASE_URL=postgres://postgres@127.0.0.1/paygate <%= config.bin %> merchants create --name "Acme" --email ops@acme.test --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    name: Flags.string({ description: 'Display name of the merchant.', required: true }),
    email: Flags.string({ description: 'Contact email; must be unique.', required: true }),
    'data-dir': Flags.string({ description: 'Embedded database folder (when DATABASE_URL is unset).', env: 'PAYGATE_DATA_DIR', default: '.paygate' }),
  };

  async run() {
    const { flags } = await this.parse(MerchantsCreate);
    const merchant = await createMerchantOnDatabase(loadConfig({ dataDir: flags['data-dir'] }), { name: flags.name, email: flags.email });
    this.log(`Merchant ${merchant.id} created. Store these now; the secrets are not shown again:`);
    this.log(`  X-Api-Key       ${merchant.api_key}\n  X-Api-Secret    ${merchant.api_secret}\n  Webhook secret  ${merchant.webhook_secret}`);
    return merchant;
  }
}
