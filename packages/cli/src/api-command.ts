import { Flags, type Command, type Interfaces } from '@oclif/core';
import type { PaygateRestClient } from '@paygate/client/rest';
import { BaseCommand } from './base-command.js';
import { failureOf, formatFailure, type CliFailure } from './api/cli-failure.js';
import { DEFAULT_API_URL, profilePath, readProfile, resolveCredentials, type ResolvedCredentials } from './api/credentials.js';
import { restClient } from './api/rest-client.js';

export type ApiFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof ApiCommand)['baseFlags'] & T['flags']>;
export type ApiArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/**
 * The base of every command that talks to a running gateway (DESIGN.md "CLI"): orders, payments,
 * refunds, webhooks, clock, reset, login, and listen, trigger, dashboard built on it.
 *
 * - Global flags: `--api-url` (PAYGATE_API_URL, default http://127.0.0.1:8000), `--api-key` /
 *   `--api-secret` (PAYGATE_API_KEY / PAYGATE_API_SECRET; then the profile `pg-cli login` saved;
 *   then the seed test merchant), `--json`, `--verbose`.
 * - `this.client`: the @paygate/client REST client for those (the only way commands reach a gateway).
 * - Output: return the REST object from `run()` (`--json` prints exactly it, one document) and call
 *   {@link show} with its human form (a key/value block or a table, from ui/format.ts).
 * - Errors: exactly one line on stderr, `CODE: description (field). hint`, no stack (unless
 *   `--verbose`), and the exit code of api/cli-failure.ts (README "Exit codes").
 *
 * ```ts
 * export default class OrdersGet extends ApiCommand<typeof OrdersGet> {
 *   static override args = { id: Args.string({ required: true, description: 'The order id.' }) };
 *   async run() {
 *     const order = await this.client.orders.get(this.args.id);
 *     return this.show(order, orderBlock);
 *   }
 * }
 * ```
 */
export abstract class ApiCommand<T extends typeof Command> extends BaseCommand {
  static override enableJsonFlag = true;
  static override baseFlags = {
    ...BaseCommand.baseFlags,
    'api-url': Flags.string({
      description: `The gateway's URL [default: ${DEFAULT_API_URL}, or the one saved by login].`,
      env: 'PAYGATE_API_URL',
      helpGroup: 'GATEWAY',
    }),
    'api-key': Flags.string({
      description: "The merchant's API key [default: the one saved by login, else the seed test merchant's].",
      env: 'PAYGATE_API_KEY',
      helpGroup: 'GATEWAY',
    }),
    'api-secret': Flags.string({
      description: "The merchant's API secret, given with --api-key.",
      env: 'PAYGATE_API_SECRET',
      helpGroup: 'GATEWAY',
    }),
  };

  /** The REST client for the resolved gateway and credentials. */
  protected client!: PaygateRestClient;
  /** Which gateway and credentials the command uses, and where they came from. */
  protected credentials!: ResolvedCredentials;
  protected flags!: ApiFlags<T>;
  protected args!: ApiArgs<T>;

  /** The file `pg-cli login` writes and every API command reads (0600, under the user's config dir). */
  protected get profileFile(): string {
    return profilePath(this.config.configDir);
  }

  public override async init(): Promise<void> {
    await super.init();
    const ctor = this.ctor as typeof ApiCommand;
    const { args, flags } = await this.parse({
      flags: ctor.flags,
      baseFlags: (this.ctor as unknown as typeof ApiCommand).baseFlags,
      enableJsonFlag: ctor.enableJsonFlag,
      args: ctor.args,
      strict: ctor.strict,
    });
    this.flags = flags as ApiFlags<T>;
    this.args = args as ApiArgs<T>;
    this.credentials = resolveCredentials(
      { apiUrl: this.flags['api-url'], apiKey: this.flags['api-key'], apiSecret: this.flags['api-secret'] },
      await readProfile(this.profileFile),
    );
    this.client = restClient({ apiUrl: this.credentials.apiUrl, apiKey: this.credentials.apiKey, apiSecret: this.credentials.apiSecret });
  }

  /**
   * Prints the human form of `value` unless `--json` is on, and returns `value`: return it from
   * `run()` and `--json` prints exactly it (oclif's enableJsonFlag), one JSON document.
   */
  protected show<V>(value: V, human: (value: V) => string): V {
    if (!this.jsonEnabled()) {
      const text = human(value);
      if (text) this.log(text);
    }
    return value;
  }

  /** A command's own hint for a failure (e.g. "test mode only"); the generic one otherwise. */
  protected hintFor(_failure: CliFailure): string | undefined {
    return undefined;
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    const commandId = (this.id ?? '').replaceAll(':', this.config.topicSeparator);
    const failure = failureOf(error, { bin: this.config.bin, commandId, apiUrl: this.credentials?.apiUrl });
    if (!failure) return super.catch(error);
    const hint = this.hintFor(failure) ?? failure.hint;
    // Straight to stderr: oclif's logToStderr is silent under --json, and this line must show.
    process.stderr.write(`${formatFailure({ ...failure, hint })}\n`);
    if (this.argv.includes('--verbose') && error.stack) process.stderr.write(`${error.stack}\n`);
    return this.exit(failure.exitCode);
  }
}
