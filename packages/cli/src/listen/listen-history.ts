import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Where one forward stands: still to deliver (`pending`), `delivered` (2xx), or `failed` for good. */
export type ForwardStatus = 'pending' | 'delivered' | 'failed';

/** One event `pg-cli listen` took from the stream, and what became of its forward. */
export type ForwardRecord = {
  event_id: string;
  event: string;
  /** The exact JSON body a real delivery carries (the event's envelope), signed at each attempt. */
  body: string;
  received_at: string;
  status: ForwardStatus;
  attempts: number;
  /** When the next attempt is due, on the gateway's clock (ISO); null once settled. */
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_latency_ms: number | null;
};

/** The file's content: where the stream was, and the forwards. */
export type HistoryDocument = {
  version: 1;
  api_url: string;
  forward_to: string;
  /** The last event taken from the stream: a restarted listen resumes after it. */
  last_event_id: string | null;
  forwards: ForwardRecord[];
};

/** Settled forwards kept for the record; pending ones are never dropped. */
export const SETTLED_FORWARDS_KEPT = 500;

/**
 * The history file of one listener: `<dataDir>/listen/<hash>.json`, one per gateway, merchant
 * and forward target, so two `listen`s against different gateways or receivers never mix their
 * forwards. The hash keeps the API key out of the file name.
 */
export function listenHistoryPath(dataDir: string, who: { apiUrl: string; apiKey: string; forwardTo: string }): string {
  const hash = createHash('sha256').update(`${who.apiUrl}\n${who.apiKey}\n${who.forwardTo}`).digest('hex').slice(0, 16);
  return join(dataDir, 'listen', `${hash}.json`);
}

/**
 * The local history of `pg-cli listen`: every event it took from the stream and the state of its
 * forward, plus the stream position, in one JSON file written atomically (a temporary file
 * renamed over it), so the position and the forwards always agree after a crash. A restarted
 * listener resumes the stream after `last_event_id` and delivers what is still `pending`:
 * forwards are at least once, and receivers dedupe on `webhook-id` as with real deliveries.
 */
export class ListenHistory {
  readonly #path: string;
  readonly #doc: HistoryDocument;
  readonly #byId = new Map<string, ForwardRecord>();
  #writing: Promise<void> | undefined;
  #dirty = false;

  private constructor(path: string, doc: HistoryDocument) {
    this.#path = path;
    this.#doc = doc;
    for (const f of doc.forwards) this.#byId.set(f.event_id, f);
  }

  /** Reads the file at `path`, or starts an empty history when there is none (or it is unreadable). */
  static async open(path: string, who: { apiUrl: string; forwardTo: string }): Promise<ListenHistory> {
    let doc: HistoryDocument | undefined;
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<HistoryDocument>;
      if (parsed.version === 1 && Array.isArray(parsed.forwards)) doc = parsed as HistoryDocument;
    } catch {
      // No history yet, or a file this version cannot read: start afresh rather than refuse to listen.
    }
    return new ListenHistory(path, doc ?? { version: 1, api_url: who.apiUrl, forward_to: who.forwardTo, last_event_id: null, forwards: [] });
  }

  get path(): string {
    return this.#path;
  }

  get lastEventId(): string | undefined {
    return this.#doc.last_event_id ?? undefined;
  }

  has(eventId: string): boolean {
    return this.#byId.has(eventId);
  }

  get(eventId: string): ForwardRecord | undefined {
    return this.#byId.get(eventId);
  }

  /** Forwards still to deliver, oldest first. */
  pending(): ForwardRecord[] {
    return this.#doc.forwards.filter((f) => f.status === 'pending');
  }

  all(): readonly ForwardRecord[] {
    return this.#doc.forwards;
  }

  /** Records an event taken from the stream (due at once) and moves the stream position past it. */
  add(event: { id: string; event: string; body: string }, now: Date): ForwardRecord {
    const record: ForwardRecord = {
      event_id: event.id,
      event: event.event,
      body: event.body,
      received_at: now.toISOString(),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      last_status_code: null,
      last_error: null,
      last_latency_ms: null,
    };
    this.#doc.forwards.push(record);
    this.#byId.set(record.event_id, record);
    this.#doc.last_event_id = event.id;
    this.#prune();
    this.#save();
    return record;
  }

  /** Moves the stream position without a forward (an event already in the history). */
  advanceTo(eventId: string): void {
    this.#doc.last_event_id = eventId;
    this.#save();
  }

  /** Applies a change to a record and saves. */
  update(eventId: string, change: Partial<Omit<ForwardRecord, 'event_id' | 'body'>>): ForwardRecord | undefined {
    const record = this.#byId.get(eventId);
    if (!record) return undefined;
    Object.assign(record, change);
    this.#prune();
    this.#save();
    return record;
  }

  /** Resolves once everything recorded so far is on disk. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  #prune(): void {
    const settled = this.#doc.forwards.filter((f) => f.status !== 'pending');
    if (settled.length <= SETTLED_FORWARDS_KEPT) return;
    const drop = new Set(settled.slice(0, settled.length - SETTLED_FORWARDS_KEPT).map((f) => f.event_id));
    this.#doc.forwards = this.#doc.forwards.filter((f) => !drop.has(f.event_id));
    for (const id of drop) this.#byId.delete(id);
  }

  // One write at a time; changes made during a write are written by the next one (so a burst
  // of events costs a few writes, not one per event).
  #save(): void {
    this.#dirty = true;
    if (this.#writing) return;
    this.#writing = (async () => {
      try {
        while (this.#dirty) {
          this.#dirty = false;
          await writeAtomically(this.#path, `${JSON.stringify(this.#doc, null, 1)}\n`);
        }
      } finally {
        this.#writing = undefined;
      }
    })();
    // A failed write is reported by flush(); until then the forwards go on in memory.
    this.#writing.catch(() => undefined);
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  // 0600: the bodies are the merchant's events (amounts, emails, VPAs).
  await writeFile(temporary, text, { mode: 0o600 });
  await rename(temporary, path);
}
