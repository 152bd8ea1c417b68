import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devFlags, startDevGateway } from '../../../server/test/helpers/dev-gateway.js';
import { ReadmeRun, type ReadmeInput, type RunnerContext } from './readme-runner.js';
import { parseRouteTable } from './route-table.js';
import { startWebhookReceiver } from './webhook-receiver.js';

/**
 * README-as-test: every fenced shell block (```bash, ```sh, ```shell, and unlabeled fences that
 * start with a command, the seed's style) of the root README, each package and example README,
 * and the seed's README runs, in order, against a gateway this test started, so the docs cannot
 * rot.
 *
 * - curl runs for real, with the README's arguments. Only the base URLs are rewritten
 *   (http://localhost:8000 to this gateway, 127.0.0.1:4000 / localhost:4000 to this test's
 *   webhook receiver), and example ids become the ids earlier answers returned (id-placeholders.ts
 *   says how). Each answer is checked: the status the server README's route table documents, the
 *   `entity` of every object, a list's shape, the fields the command sent, and the answer the
 *   README shows next to it (answer-checks.ts).
 * - `npx pg-cli dev …` is this gateway (its flags are checked against `pg-cli dev --help`), and
 *   `npm ci`, `npm run build` and `npm start -w examples/merchant-*` are stood in for (printed);
 *   other pg-cli commands (`migrate --json`) run for real in an empty folder.
 * - A block marked `<!-- readme-test: skip (<reason>) -->` on the line before its fence is not run,
 *   and is printed with its reason; an unmarked block with a command the runner cannot run fails.
 * - Where webhooks point at the receiver, each payment and refund created after that must deliver
 *   its outcome, verified with @paygate/webhook-verify.
 * Each file starts from POST /api/v1/test/reset, as a newcomer's fresh gateway would.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const BIN = join(ROOT, 'packages', 'cli', 'bin', 'run.js');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readmesIn = (folder: string) =>
  readdirSync(join(ROOT, folder), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${folder}/${d.name}/README.md`)
    .filter((path) => {
      try {
        return read(path) !== '';
      } catch {
        return false;
      }
    })
    .sort();

/**
 * The seed's README, byte for byte (a copy of the original brief's README: its curl flow is the
 * contract, so it runs here verbatim). It cannot carry our markers, so its illustrative blocks
 * and its one shell slip are listed here.
 */
const SEED: ReadmeInput = {
  file: 'packages/cli/test/readme/seed-README.md',
  markdown: readFileSync(join(import.meta.dirname, 'seed-README.md'), 'utf8'),
  skips: [
    {
      firstLine: 'git clone https://github.com/vinay-nethala/Payment-Gateway-with-Async-Processing-and-Webhooks',
      reason: "clones and starts the seed's own repository; Paygate's start is its README's, and this test's gateway stands for it",
    },
    {
      firstLine: '# Windows',
      reason: "opens the seed's test-sdk.html in a browser; Paygate's is examples/checkout-html, which packages/sdk-web/test/browser drives in Chromium",
    },
  ],
  readAsQuoted: [
    {
      word: 'http://localhost:8000/api/v1/webhooks?limit=10&offset=0',
      why: "unquoted in the seed, so bash would run curl in the background without its headers at the '&' (and then fail on 'offset=0 \\'): quote the URL when you paste it",
    },
  ],
  webhooksConfiguredBefore:
    'the seed configures its webhook URL in its dashboard or database, outside its curl flow; here with PUT /api/v1/webhooks/config, as README.md shows',
};

const INPUTS: ReadmeInput[] = [...['README.md', ...readmesIn('packages'), ...readmesIn('examples')].map((file) => ({ file, markdown: read(file) })), SEED];

describe('README-as-test', () => {
  let ctx: RunnerContext;
  let stopGateway: () => Promise<void>;
  let closeReceiver: () => Promise<void>;

  beforeAll(async () => {
    const gateway = await startDevGateway(BIN);
    stopGateway = gateway.stop;
    const receiver = await startWebhookReceiver('whsec_test_abc123');
    closeReceiver = receiver.close;
    ctx = {
      gateway: gateway.origin,
      receiver,
      routes: parseRouteTable(read('packages/server/README.md')),
      devFlags: await devFlags(BIN),
      bin: BIN,
      log: (line) => console.warn(line),
    };
  }, 120_000);

  afterAll(async () => {
    await stopGateway?.();
    await closeReceiver?.();
  });

  it('finds the READMEs', () => {
    expect(INPUTS.map((i) => i.file)).toEqual(
      expect.arrayContaining(['README.md', 'packages/cli/README.md', 'examples/merchant-express/README.md', SEED.file]),
    );
  });

  for (const input of INPUTS) {
    it(`runs ${input.file}`, async () => {
      const reset = await fetch(`${ctx.gateway}/api/v1/test/reset`, { method: 'POST' });
      expect(reset.status).toBe(200);
      const { commandsRun } = await new ReadmeRun(input, ctx).run();
      // A file's run says what it ran, so a README whose blocks all turn into skips shows up.
      console.warn(`[paygate] README ran: ${input.file}: ${commandsRun} command(s)`);
    }, 180_000);
  }
});
