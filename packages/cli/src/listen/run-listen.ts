import { RETRY_SCHEDULES } from '@paygate/core/domain';
import { forwardEvent } from './forward-event.js';
import { localClock, testModeClock, type GatewayClock } from './gateway-clock.js';
import { ListenHistory, listenHistoryPath } from './listen-history.js';
import { renderHuman, renderJson, type RenderedLine } from './listen-output.js';
import { runListenSession, type StreamEnvelope } from './listen-session.js';
import { createSecretSource } from './secret-source.js';

/** The part of `@paygate/client`'s `PaygateRestClient` that listen uses. */
export interface ListenClient {
  readonly apiUrl: string;
  webhooks: { config: { get(): Promise<{ webhook_secret: string }> } };
  test: { clock: { get(): Promise<{ now: string }> } };
  events: {
    follow(options: {
      lastEventId?: string | undefined;
      types?: readonly string[] | undefined;
      signal?: AbortSignal | undefined;
      onOpen?: () => void;
      onReconnect?: (info: { error: unknown; delayMs: number; lastEventId: string | undefined }) => void;
    }): AsyncIterable<StreamEnvelope>;
  };
}

export type ListenOptions = {
  forwardTo: string;
  /** `--events`; every type when undefined. */
  events: readonly string[] | undefined;
  /** The user's data dir (oclif's `config.dataDir`: `$XDG_DATA_HOME/paygate` on Linux). */
  dataDir: string;
  /** Keys the history file (with the gateway URL and the target), never written in it. */
  apiKey: string;
  json: boolean;
  print: (line: RenderedLine) => void;
};

/**
 * The gateway's clock and schedule: in test mode (its `/api/v1/test/clock` answers) the test
 * gaps on the test clock, otherwise the production schedule on the local clock.
 */
async function detectMode(client: ListenClient): Promise<{ testMode: boolean; clock: GatewayClock; schedule: readonly number[] }> {
  try {
    const first = await client.test.clock.get();
    const offset = Date.parse(first.now) - Date.now();
    return {
      testMode: true,
      clock: testModeClock(async () => new Date((await client.test.clock.get()).now), offset),
      schedule: RETRY_SCHEDULES.test,
    };
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
    return { testMode: false, clock: localClock(), schedule: RETRY_SCHEDULES.production };
  }
}

/** `pg-cli listen`: runs until `signal` aborts (Ctrl-C), then saves the history and resolves. */
export async function runListen(client: ListenClient, options: ListenOptions, signal: AbortSignal): Promise<void> {
  const { forwardTo } = options;
  const secrets = createSecretSource(async () => (await client.webhooks.config.get()).webhook_secret);
  const mode = await detectMode(client);
  const history = await ListenHistory.open(listenHistoryPath(options.dataDir, { apiUrl: client.apiUrl, apiKey: options.apiKey, forwardTo }), {
    apiUrl: client.apiUrl,
    forwardTo,
  });
  const render = options.json ? renderJson : renderHuman;
  await runListenSession(
    {
      follow: ({ lastEventId, types, signal: stop, onOpen, onReconnect }) => client.events.follow({ lastEventId, types, signal: stop, onOpen, onReconnect }),
      secrets,
      clock: mode.clock,
      schedule: mode.schedule,
      testMode: mode.testMode,
      history,
      forward: ({ eventId, body, secret, signal: cut }) => forwardEvent({ url: forwardTo, eventId, body, secret, signal: cut }),
      report: (report) => options.print(render(report)),
      forwardTo,
      types: options.events,
    },
    signal,
  );
}
