import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ListenHistory, SETTLED_FORWARDS_KEPT, listenHistoryPath } from './listen-history.js';

const who = { apiUrl: 'http://127.0.0.1:8000', apiKey: 'key_test_abc123', forwardTo: 'http://127.0.0.1:4000/webhook' };
const at = new Date('2026-11-29T12:00:00.000Z');
const event = (n: number) => ({ id: `evt_${String(n).padStart(16, '0')}`, event: 'payment.success', body: `{"id":"evt_${n}"}` });

describe('ListenHistory', () => {
  it('survives a restart: the stream position and every forward, pending ones included', async () => {
    // Given a history with one delivered forward and one still pending
    const path = listenHistoryPath(mkdtempSync(join(tmpdir(), 'listen-history-')), who);
    const first = await ListenHistory.open(path, who);
    first.add(event(1), at);
    first.add(event(2), at);
    first.update(event(1).id, { status: 'delivered', attempts: 1, last_status_code: 200, next_attempt_at: null });
    first.update(event(2).id, { attempts: 1, last_status_code: 500, next_attempt_at: '2026-11-29T12:00:05.000Z' });
    await first.flush();

    // When it is opened again (a restarted listen)
    const second = await ListenHistory.open(path, who);

    // Then it resumes after the last event and still owes the pending forward, body and all
    expect(second.lastEventId).toBe(event(2).id);
    expect(second.pending().map((f) => [f.event_id, f.attempts, f.body, f.next_attempt_at])).toEqual([
      [event(2).id, 1, event(2).body, '2026-11-29T12:00:05.000Z'],
    ]);
    expect(second.get(event(1).id)).toMatchObject({ status: 'delivered', last_status_code: 200 });
    // ... in a file only its owner reads (the bodies are the merchant's events)
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('keeps one file per gateway, merchant and forward target', () => {
    const dir = '/data/paygate';
    const paths = new Set([
      listenHistoryPath(dir, who),
      listenHistoryPath(dir, { ...who, apiUrl: 'http://127.0.0.1:9000' }),
      listenHistoryPath(dir, { ...who, apiKey: 'key_test_other' }),
      listenHistoryPath(dir, { ...who, forwardTo: 'http://127.0.0.1:5000/hooks' }),
    ]);
    expect(paths.size).toBe(4);
    for (const p of paths) expect(p).toMatch(/^\/data\/paygate\/listen\/[0-9a-f]{16}\.json$/);
    expect([...paths].join()).not.toContain('key_test');
  });

  it('starts afresh from a missing or unreadable file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'listen-history-'));
    const garbled = join(dir, 'garbled.json');
    writeFileSync(garbled, '{"version": 1, "forw');
    for (const path of [join(dir, 'missing.json'), garbled]) {
      const history = await ListenHistory.open(path, who);
      expect([history.lastEventId, history.all().length]).toEqual([undefined, 0]);
    }
  });

  it('drops the oldest settled forwards past the cap, never a pending one', async () => {
    const path = listenHistoryPath(mkdtempSync(join(tmpdir(), 'listen-history-')), who);
    const history = await ListenHistory.open(path, who);
    history.add(event(0), at); // stays pending throughout
    for (let n = 1; n <= SETTLED_FORWARDS_KEPT + 5; n += 1) {
      history.add(event(n), at);
      history.update(event(n).id, { status: 'delivered' });
    }
    await history.flush();
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { forwards: Array<{ event_id: string }> };
    expect(saved.forwards).toHaveLength(SETTLED_FORWARDS_KEPT + 1);
    expect(saved.forwards[0]!.event_id).toBe(event(0).id);
    expect(saved.forwards[1]!.event_id).toBe(event(6).id);
    expect(history.has(event(5).id)).toBe(false);
  });
});
