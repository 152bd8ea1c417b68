import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkEcho, checkEntities, checkErrorShape, checkListShape, compareWithShown } from './answer-checks.js';
import { type CurlAnswer, readCurlRequest, runCurl } from './curl-call.js';
import { newcomerEnv } from '../../../server/test/helpers/dev-gateway.js';
import { IdPlaceholders, isRealId } from './id-placeholders.js';
import { rewriteReadmeOrigins } from './origins.js';
import { extractBlocks, type MarkdownBlock, parseShownJson } from './markdown-blocks.js';
import { type DocumentedRoute, findRoute } from './route-table.js';
import { parseShellBlock, type ShellCommand, showCommand } from './shell-commands.js';
import type { startWebhookReceiver } from './webhook-receiver.js';

/** One Markdown file to run, and what the test knows about it that the file cannot say itself. */
export type ReadmeInput = {
  /** Path shown in messages (relative to the repository root). */
  file: string;
  markdown: string;
  /**
   * For a file we may not add markers to (the seed's README, the contract): its illustrative
   * shell blocks, by their first line, with the reason. Every entry must match a block.
   */
  skips?: { firstLine: string; reason: string }[];
  /** Words bash would split that the file means whole (see parseShellBlock), with why. */
  readAsQuoted?: { word: string; why: string }[];
  /** Set when the file's flow assumes webhooks are already configured (the seed's does it in its dashboard): why. The runner points them at the receiver first. */
  webhooksConfiguredBefore?: string;
};

export type RunnerContext = {
  /** The test gateway's origin: it stands for http://localhost:8000. */
  gateway: string;
  receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  routes: DocumentedRoute[];
  devFlags: Set<string>;
  bin: string;
  log: (line: string) => void;
};

/**
 * A payment or refund read by id is read again until it is no longer pending: the README says it
 * is `success` or `failed` after TEST_PROCESSING_DELAY (1 s), and the next commands (a refund)
 * rely on that.
 */
const SETTLES = /^\/api\/v1\/(payments|refunds)\/[^/]+$/;
const SETTLE_TIMEOUT_MS = 30_000;
const DELIVERY_TIMEOUT_MS = 30_000;

/** Commands the test does not run because it already did what they do, and what stands for them. */
function standIn(argv: string[]): string | undefined {
  const line = argv.join(' ');
  if (line === 'npm ci' || line === 'npm run build') return 'the test runs on an installed, built checkout';
  if (/^npm start -w examples\/merchant-[a-z]+$/.test(line))
    return 'the webhook receiver the test started (it verifies with @paygate/webhook-verify, as the example does)';
  return undefined;
}

async function waitFor<T>(read: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An object id as pg-cli prints it in a key/value block or a table. */
const PRINTED_ID = /\b(order|pay|rfnd|evt|whd)_[0-9A-Za-z]{16}\b/g;

/** The ids a JSON answer carries, the object's own first (a list: its items, newest first). */
function idsOfJson(answer: unknown): string[] {
  if (typeof answer !== 'object' || answer === null) return [];
  const record = answer as { id?: unknown; data?: unknown };
  const items = Array.isArray(record.data) ? (record.data as unknown[]) : [record];
  return items.map((item) => (item as { id?: unknown }).id).filter((id): id is string => typeof id === 'string' && isRealId(id));
}

/** Runs one file's shell blocks in order; throws on the first problem, naming the file and line. */
export class ReadmeRun {
  private readonly ids = new IdPlaceholders();
  private webhooksOn = false;
  /** Payments and refunds created while webhooks pointed at the receiver: each must deliver its outcome. */
  private readonly awaitedOutcomes: { kind: 'payment' | 'refund'; id: string; at: string }[] = [];
  private readonly deliveriesBefore: number;

  constructor(
    private readonly input: ReadmeInput,
    private readonly ctx: RunnerContext,
  ) {
    this.deliveriesBefore = ctx.receiver.deliveries.length;
  }

  async run(): Promise<{ commandsRun: number }> {
    const { file } = this.input;
    if (this.input.webhooksConfiguredBefore) {
      this.ctx.log(`[paygate] README webhooks pointed at the test receiver before ${file}: ${this.input.webhooksConfiguredBefore}`);
      await this.pointWebhooksAtReceiver();
    }
    const blocks = extractBlocks(this.input.markdown, file);
    const externalSkips = new Map((this.input.skips ?? []).map((s) => [s.firstLine, { reason: s.reason, used: false }]));
    let commandsRun = 0;
    // A marked block is listed whatever its language (a marked yaml block is as visible as a bash one).
    for (const block of blocks.filter((b) => b.shell || b.skipReason !== undefined)) {
      const firstLine = block.text.split('\n').find((l) => l.trim() !== '') ?? '';
      const external = externalSkips.get(firstLine.trim());
      const reason = block.skipReason ?? external?.reason;
      if (external) external.used = true;
      if (reason !== undefined) {
        this.ctx.log(`[paygate] README block skipped: ${file}:${block.line}: ${reason}`);
        continue;
      }
      commandsRun += await this.runBlock(block);
    }
    const unused = [...externalSkips].filter(([, s]) => !s.used).map(([line]) => line);
    if (unused.length > 0) throw new Error(`${file}: skip entries that match no block: ${unused.join('; ')}`);
    await this.checkDeliveries();
    return { commandsRun };
  }

  private async runBlock(block: MarkdownBlock): Promise<number> {
    const where = (line: number) => `${this.input.file}:${line}`;
    const quoted = (this.input.readAsQuoted ?? []).filter((q) => block.text.includes(q.word));
    for (const q of quoted) this.ctx.log(`[paygate] README word read as quoted: ${where(block.line)}: ${q.word}: ${q.why}`);
    let commands: ShellCommand[];
    try {
      commands = parseShellBlock(
        block.text,
        block.line + 1,
        quoted.map((q) => q.word),
      );
    } catch (error) {
      throw new Error(`${where(block.line)}: ${(error as Error).message} (mark the block <!-- readme-test: skip (<reason>) --> if it is illustrative)`);
    }
    const lastCurl = commands.findLast((c) => c.argv[0] === 'curl');
    let run = 0;
    for (const command of commands) {
      try {
        run += await this.runCommand(command, command === lastCurl ? block.shownAnswer : undefined);
      } catch (error) {
        throw new Error(`${where(command.line)}: ${showCommand(command)}\n  ${(error as Error).message}`);
      }
    }
    return run;
  }

  private async runCommand(command: ShellCommand, shown: MarkdownBlock['shownAnswer']): Promise<number> {
    const { argv } = command;
    const at = `${this.input.file}:${command.line}`;
    const stoodIn = standIn(argv);
    if (stoodIn) {
      this.ctx.log(`[paygate] README command stood in for: ${at}: ${showCommand(command)}: ${stoodIn}`);
      return 0;
    }
    if (argv[0] === 'curl') {
      await this.runCurlCommand(command, shown, at);
      return 1;
    }
    const cliArgs = argv[0] === 'npx' && argv[1] === 'pg-cli' ? argv.slice(2) : argv[0] === 'pg-cli' ? argv.slice(1) : undefined;
    if (cliArgs) return this.runPgCli(command, cliArgs, at);
    throw new Error('the README runner cannot run this: mark its block <!-- readme-test: skip (<reason>) --> if it is illustrative');
  }

  /**
   * `pg-cli dev …` is the gateway the test started (`dev --test-mode --data-dir memory` on a free
   * port); its flags must be ones `pg-cli dev --help` lists. `server` and `worker` run until
   * stopped, so their blocks must be marked. `migrate` and `merchants create` run for real, as
   * npx runs them (the workspace's bin/run.js), in an empty folder so their default `.paygate` is
   * fresh. Every other command is a client command: it runs against the test's gateway (see
   * {@link runClientCommand}).
   */
  private async runPgCli(command: ShellCommand, args: string[], at: string): Promise<number> {
    const [sub] = args;
    if (sub === 'dev') {
      const unknown = args.filter((a) => a.startsWith('--') && !this.ctx.devFlags.has(a.split('=')[0]!));
      if (unknown.length > 0) throw new Error(`pg-cli dev --help does not list ${unknown.join(', ')}`);
      this.ctx.log(
        `[paygate] README command stood in for: ${at}: ${showCommand(command)}: the gateway the test started (pg-cli dev --test-mode --data-dir memory --port 0)`,
      );
      return 0;
    }
    if (sub === 'server' || sub === 'worker') throw new Error(`pg-cli ${sub} runs until stopped: mark its block <!-- readme-test: skip (<reason>) -->`);
    if (sub !== 'migrate' && sub !== 'merchants') return this.runClientCommand(command, args, at);
    const cwd = mkdtempSync(join(tmpdir(), 'readme-pg-cli-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [this.ctx.bin, ...args], { cwd, env: { ...newcomerEnv(), ...command.env } });
      if (args.includes('--json')) JSON.parse(stdout);
      return 1;
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }

  /**
   * A client command (`orders create`, `payments create --wait`, `webhooks list`…) as a newcomer
   * runs it next to `pg-cli dev`: with no credentials (the seed merchant) and the default
   * `--api-url`, which is the test's gateway here (PAYGATE_API_URL, as the base URLs of curl are
   * rewritten). Example ids become the ids earlier answers returned, as for curl; the ids this
   * command prints (its JSON, or its human output) are remembered for the next ones. It must
   * exit 0. A payment or refund created while webhooks point at the receiver must deliver its outcome.
   */
  private async runClientCommand(command: ShellCommand, args: string[], at: string): Promise<number> {
    const argv = args.map((a) => this.rewrite(this.ids.substitute(a)));
    const configHome = mkdtempSync(join(tmpdir(), 'readme-pg-cli-config-'));
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(process.execPath, [this.ctx.bin, ...argv], {
        env: { ...newcomerEnv(), PAYGATE_API_URL: this.ctx.gateway, XDG_CONFIG_HOME: configHome, ...command.env },
      }));
    } catch (error) {
      const { code, stderr } = error as { code?: number; stderr?: string };
      throw new Error(`pg-cli exited ${code}: ${(stderr ?? '').trim()}`);
    } finally {
      rmSync(configHome, { recursive: true, force: true });
    }
    const printedIds = argv.includes('--json') ? idsOfJson(JSON.parse(stdout)) : [...stdout.matchAll(PRINTED_ID)].map((m) => m[0]);
    // The first id of a kind is the command's object (or a list's newest): remembered last, so it is the latest.
    for (const id of [...printedIds].reverse()) this.ids.remember({ id });
    const [topic, verb] = argv;
    if (topic === 'webhooks' && verb === 'config' && argv.includes('--url')) {
      this.webhooksOn = argv[argv.indexOf('--url') + 1]!.startsWith(this.ctx.receiver.origin);
    }
    if (this.webhooksOn && verb === 'create' && (topic === 'payments' || topic === 'refunds')) {
      const kind = topic === 'payments' ? 'payment' : 'refund';
      const id = printedIds.find((i) => i.startsWith(kind === 'payment' ? 'pay_' : 'rfnd_'));
      if (!id) throw new Error(`pg-cli ${topic} create printed no ${kind} id: ${stdout.slice(0, 300)}`);
      this.awaitedOutcomes.push({ kind, id, at });
    }
    return 1;
  }

  private async runCurlCommand(command: ShellCommand, shown: MarkdownBlock['shownAnswer'], at: string): Promise<void> {
    const args = command.argv.slice(1).map((a) => this.rewrite(this.ids.substitute(a)));
    const request = readCurlRequest(args);
    const route = findRoute(this.ctx.routes, request.method, request.url.pathname);
    if (!route) throw new Error(`${request.method} ${request.url.pathname} is not in packages/server/README.md's route table`);
    let answer = await runCurl(args);
    if (request.method === 'GET' && SETTLES.test(request.url.pathname)) {
      const deadline = Date.now() + SETTLE_TIMEOUT_MS;
      while (answer.status === 200 && (JSON.parse(answer.body) as { status?: string }).status === 'pending') {
        if (Date.now() > deadline) throw new Error(`still pending after ${SETTLE_TIMEOUT_MS} ms`);
        await new Promise((r) => setTimeout(r, 100));
        answer = await runCurl(args);
      }
    }
    const problems = this.checkAnswer(answer, request, route, shown);
    if (problems.length > 0) throw new Error(`${problems.join('\n  ')}\n  (answer ${answer.status}: ${answer.body.slice(0, 500)})`);
    if (request.stream) return;
    const json = JSON.parse(answer.body) as { id?: string; webhook_url?: unknown };
    this.ids.remember(json);
    if (request.method === 'PUT' && request.url.pathname === '/api/v1/webhooks/config') {
      this.webhooksOn = typeof json.webhook_url === 'string' && json.webhook_url.startsWith(this.ctx.receiver.origin);
    }
    if (this.webhooksOn && request.method === 'POST' && answer.status === 201 && json.id) {
      if (request.url.pathname === '/api/v1/payments') this.awaitedOutcomes.push({ kind: 'payment', id: json.id, at });
      if (/\/refunds$/.test(request.url.pathname)) this.awaitedOutcomes.push({ kind: 'refund', id: json.id, at });
    }
  }

  private checkAnswer(answer: CurlAnswer, request: ReturnType<typeof readCurlRequest>, route: DocumentedRoute, shown: MarkdownBlock['shownAnswer']): string[] {
    const cutStream = request.stream && answer.exitCode === 28;
    if (answer.exitCode !== 0 && !cutStream) return [`curl exited ${answer.exitCode}: ${answer.stderr.trim()}`];
    if (answer.status !== route.successStatus) {
      return [`status ${answer.status}, the server README documents ${route.successStatus} for ${route.method} ${route.path}`, ...checkErrorShapeOf(answer)];
    }
    if (request.stream) return answer.contentType.startsWith('text/event-stream') ? [] : [`a stream answers text/event-stream, got ${answer.contentType}`];
    if (!answer.contentType.startsWith('application/json')) return [`expected JSON, got ${answer.contentType}`];
    const json = JSON.parse(answer.body) as unknown;
    const problems = [...checkEntities(json), ...(route.isList ? checkListShape(json) : []), ...checkEcho(request.body, json)];
    if (shown) {
      const at = `the answer shown at ${this.input.file}:${shown.line}`;
      let expected: unknown;
      try {
        expected = parseShownJson(this.rewrite(shown.json));
      } catch (error) {
        return [`${at} is not JSON: ${(error as Error).message}`];
      }
      problems.push(...compareWithShown(expected, json, this.ids).map((p) => `${at}: ${p}`));
    }
    return problems;
  }

  /** Only the base URLs change: the gateway's and the receiver's, to the ones the test started. */
  private rewrite(text: string): string {
    return rewriteReadmeOrigins(text, { gateway: this.ctx.gateway, receiver: this.ctx.receiver.origin });
  }

  private async pointWebhooksAtReceiver(): Promise<void> {
    const res = await fetch(`${this.ctx.gateway}/api/v1/webhooks/config`, {
      method: 'PUT',
      headers: { 'x-api-key': 'key_test_abc123', 'x-api-secret': 'secret_test_xyz789', 'content-type': 'application/json' },
      body: JSON.stringify({ webhook_url: `${this.ctx.receiver.origin}/webhook` }),
    });
    if (res.status !== 200) throw new Error(`PUT /api/v1/webhooks/config answered ${res.status}`);
    this.webhooksOn = true;
  }

  /**
   * Where the file pointed webhooks at the receiver, every payment and refund it created after
   * that delivers its outcome (payment.success/failed, refund.processed/failed), verified with
   * @paygate/webhook-verify; and no delivery failed verification.
   */
  private async checkDeliveries(): Promise<void> {
    const { file } = this.input;
    if (this.webhooksOn && this.awaitedOutcomes.length === 0)
      throw new Error(`${file}: webhooks point at the receiver, but no later command creates a payment or refund`);
    for (const awaited of this.awaitedOutcomes) {
      const outcomes = awaited.kind === 'payment' ? ['payment.success', 'payment.failed'] : ['refund.processed', 'refund.failed'];
      await waitFor(
        () =>
          this.ctx.receiver.deliveries.slice(this.deliveriesBefore).find((d) => {
            if (!d.verified || !outcomes.includes(d.event.event)) return false;
            const data = d.event.data as { payment?: { id: string }; refund?: { id: string } };
            return (data.payment ?? data.refund)?.id === awaited.id;
          }),
        DELIVERY_TIMEOUT_MS,
        `a verified ${outcomes.join(' or ')} webhook for ${awaited.id} (created at ${awaited.at})`,
      );
    }
    const rejected = this.ctx.receiver.deliveries.slice(this.deliveriesBefore).filter((d) => !d.verified);
    if (rejected.length > 0) throw new Error(`${file}: deliveries that failed verification: ${JSON.stringify(rejected)}`);
    if (this.awaitedOutcomes.length > 0) this.ctx.log(`[paygate] README webhooks verified: ${file}: ${this.awaitedOutcomes.map((a) => a.id).join(', ')}`);
  }
}

function checkErrorShapeOf(answer: CurlAnswer): string[] {
  try {
    return checkErrorShape(JSON.parse(answer.body));
  } catch {
    return [];
  }
}
