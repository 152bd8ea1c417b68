// PROVISIONAL (issue11-listen): a stand-in for the shared ApiCommand that issue11-client is
// building; replaced by theirs on merge. Only what listen, trigger and webhooks replay need.
import { Command, Flags, type Interfaces } from '@oclif/core';
import { GatewayUnreachableError, PaygateApiError, PaygateRestClient } from '@paygate/client';
import { exitCodeOf, isErrorCode, isPaygateError } from '@paygate/core';

export abstract class ApiCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    'api-url': Flags.string({ description: 'The gateway.', env: 'PAYGATE_API_URL', default: 'http://127.0.0.1:8000', helpGroup: 'GLOBAL' }),
    'api-key': Flags.string({ description: 'API key.', env: 'PAYGATE_API_KEY', helpGroup: 'GLOBAL' }),
    'api-secret': Flags.string({ description: 'API secret.', env: 'PAYGATE_API_SECRET', helpGroup: 'GLOBAL' }),
    json: Flags.boolean({ description: 'Print JSON.', default: false, helpGroup: 'GLOBAL' }),
  };

  protected client!: PaygateRestClient;
  protected apiKey!: string;
  protected flags!: Interfaces.InferredFlags<(typeof ApiCommand)['baseFlags'] & T['flags']>;
  protected args!: Interfaces.InferredArgs<T['args']>;

  override async init(): Promise<void> {
    await super.init();
    const { flags, args } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof ApiCommand).baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as typeof this.flags;
    this.args = args as typeof this.args;
    this.apiKey = flags['api-key'] ?? 'key_test_abc123';
    this.client = new PaygateRestClient({ apiUrl: flags['api-url'], apiKey: this.apiKey, apiSecret: flags['api-secret'] ?? 'secret_test_xyz789' });
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (error instanceof PaygateApiError) {
      this.logToStderr(`${error.code}: ${error.description}${error.field ? ` (${error.field})` : ''}`);
      return this.exit(isErrorCode(error.code) ? exitCodeOf(error.code) : 1);
    }
    if (error instanceof GatewayUnreachableError) {
      this.logToStderr(`GATEWAY_UNREACHABLE: ${error.message} Start one with pg-cli dev, or pass --api-url.`);
      return this.exit(6);
    }
    if (isPaygateError(error)) {
      this.logToStderr(`${error.code}: ${error.description}${error.field ? ` (${error.field})` : ''}`);
      return this.exit(exitCodeOf(error.code));
    }
    return super.catch(error);
  }
}
