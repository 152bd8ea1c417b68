import { ApiCommand } from '../api-command.js';
import { UsageError } from '../api/cli-failure.js';
import { writeProfile } from '../api/credentials.js';
import { restClient } from '../api/rest-client.js';
import { formatKeyValues } from '../ui/format.js';
import { promptLine, promptSecret } from '../services/prompt.js';

export default class Login extends ApiCommand<typeof Login> {
  static override summary = 'Save the API key and secret that the other commands use.';
  static override description = `Checks them against the gateway first, then saves them with the gateway's URL in profile.json under your config folder ($XDG_CONFIG_HOME/paygate, by default ~/.config/paygate), readable by you only (0600).
Later commands use them with that gateway unless --api-key/--api-secret or PAYGATE_API_KEY/PAYGATE_API_SECRET say otherwise. On a terminal, it asks for what the flags do not give.`;
  static override examples = [
    '<%= config.bin %> login --api-key key_live_abc --api-secret secret_live_xyz',
    '<%= config.bin %> login --api-url https://paygate.example.com',
    'PAYGATE_API_KEY=key_live_abc PAYGATE_API_SECRET=secret_live_xyz <%= config.bin %> login --json',
  ];

  async run() {
    let apiKey = this.flags['api-key'];
    let apiSecret = this.flags['api-secret'];
    if (apiKey === undefined || apiSecret === undefined) {
      if (!process.stdin.isTTY) {
        throw new UsageError('login needs the credentials: give --api-key and --api-secret (or PAYGATE_API_KEY and PAYGATE_API_SECRET)', 'api-key');
      }
      apiKey = await promptLine('API key: ');
      apiSecret = await promptSecret('API secret: ');
    }
    const { apiUrl } = this.credentials;
    // A request that needs them: a wrong pair fails here (AUTHENTICATION_ERROR), before anything is saved.
    await restClient({ apiUrl, apiKey, apiSecret }).webhooks.config.get();
    await writeProfile(this.profileFile, { api_url: apiUrl, api_key: apiKey, api_secret: apiSecret });
    const saved = { api_url: apiUrl, api_key: apiKey, profile: this.profileFile };
    return this.show(saved, (s) =>
      formatKeyValues([
        ['Logged in to', s.api_url],
        ['API key', s.api_key],
        ['Saved in', `${s.profile} (readable by you only)`],
      ]),
    );
  }
}
