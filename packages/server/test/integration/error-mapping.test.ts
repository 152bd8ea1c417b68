import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDatabaseError } from '../../src/adapters/db/database-errors.js';
import { startTestGateway, testEngines, type TestGateway } from '../helpers/gateway.js';
import { LEVEL, captureLogs, type LogLine } from '../helpers/log-capture.js';

// Errors on both transports: bad bytes are the client's fault (400 with the field), an
// unexpected error is an opaque 500 whose request id is in the response and in an error line.

const engines = await testEngines();
const NUL = '\u0000';
const CARD = { number: '4111111111111111', expiry_month: 12, expiry_year: 2035, cvv: '123', name: 'A' };

type Reply = { status: number; body: any; headers: Record<string, unknown> };

/** A tRPC call over HTTP, as the typed client makes it: queries as GET ?input=, mutations as POST. */
async function trpc(gw: TestGateway, kind: 'query' | 'mutation', path: string, input: unknown): Promise<Reply> {
  return kind === 'query' ? gw.call('GET', `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`) : gw.call('POST', `/trpc/${path}`, input);
}

/** The REST envelope, or the tRPC error's `data.paygate`: the same fields on both transports. */
const paygateError = (r: Reply) => (r.body.error?.data?.paygate ?? r.body.error) as { code: string; description: string; field?: string };

describe.each(engines)('database input errors on %s', (engine) => {
  let gw: TestGateway;
  let orderId: string;
  beforeAll(async () => {
    gw = await startTestGateway(engine);
    orderId = (await gw.call('POST', '/api/v1/orders', { amount: 500, currency: 'INR' })).body.id;
  });
  afterAll(async () => gw?.close());

  const NUL_CASES: Array<{ name: string; rest: [string, string, unknown?]; trpc?: ['query' | 'mutation', string, unknown]; field: string }> = [
    {
      name: 'receipt',
      rest: ['POST', '/api/v1/orders', { amount: 100, receipt: `a${NUL}b` }],
      trpc: ['mutation', 'orders.create', { amount: 100, receipt: `a${NUL}b` }],
      field: 'receipt',
    },
    {
      name: 'a notes value',
      rest: ['POST', '/api/v1/orders', { amount: 100, notes: { k: `a${NUL}` } }],
      trpc: ['mutation', 'orders.create', { amount: 100, notes: { k: `a${NUL}` } }],
      field: 'notes.k',
    },
    { name: 'a notes key', rest: ['POST', '/api/v1/orders', { amount: 100, notes: { [`k${NUL}`]: 'a' } }], field: 'notes' },
    {
      name: 'card.name',
      rest: ['POST', '/api/v1/payments', { order_id: 'ORDER', method: 'card', card: { ...CARD, name: `A${NUL}` } }],
      trpc: ['mutation', 'payments.create', { order_id: 'ORDER', method: 'card', card: { ...CARD, name: `A${NUL}` } }],
      field: 'card.name',
    },
    { name: 'refund reason', rest: ['POST', '/api/v1/payments/pay_0000000000000000/refunds', { reason: `r${NUL}` }], field: 'reason' },
    { name: 'a list filter', rest: ['GET', '/api/v1/payments?status=a%00b'], trpc: ['query', 'payments.list', { status: `a${NUL}b` }], field: 'status' },
    { name: 'an id in the path', rest: ['GET', '/api/v1/orders/order_%00'], trpc: ['query', 'orders.get', { id: `order_${NUL}` }], field: 'id' },
    { name: 'a test merchant name', rest: ['POST', '/api/v1/test/merchants', { name: `n${NUL}`, email: 'nul@example.com' }], field: 'name' },
  ];

  it.each(NUL_CASES)('a NUL byte in $name is 400 BAD_REQUEST_ERROR with the field, on REST and tRPC', async (c) => {
    const fill = (v: unknown) => JSON.parse(JSON.stringify(v ?? null).replace('"ORDER"', JSON.stringify(orderId))) as unknown;
    const rest = await gw.call(c.rest[0], c.rest[1], c.rest[2] === undefined ? undefined : fill(c.rest[2]));
    expect(rest.status, JSON.stringify(rest.body)).toBe(400);
    expect(paygateError(rest)).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: c.field });
    if (c.trpc) {
      const viaTrpc = await trpc(gw, c.trpc[0], c.trpc[1], fill(c.trpc[2]));
      expect(viaTrpc.status, JSON.stringify(viaTrpc.body)).toBe(400);
      expect(paygateError(viaTrpc)).toMatchObject({ code: 'BAD_REQUEST_ERROR', field: c.field });
    }
  });

  // The schemas stop bad input first; whatever still reaches the database is classified by its
  // SQLSTATE. Each error here is a real one from this engine.
  it.each([
    { name: 'NUL byte in text (22021)', sql: 'select ?::text as v', bindings: [`a${NUL}b`] },
    { name: 'NUL escape in jsonb (22P05)', sql: 'select ?::jsonb as v', bindings: [JSON.stringify(`a${NUL}b`)] },
    { name: 'number out of range (22003)', sql: 'select ?::int as v', bindings: ['99999999999'] },
    { name: 'invalid text representation (22P02)', sql: 'select ?::int as v', bindings: ['abc'] },
    {
      name: 'too long for the column (22001)',
      setup: 'create temp table t_long (receipt varchar(3)) on commit drop',
      sql: 'insert into t_long values (?)',
      bindings: ['abcd'],
    },
    {
      name: 'check violation (23514), field from the constraint',
      setup: 'create temp table t_check (amount int constraint t_check_amount_check check (amount > 0)) on commit drop',
      sql: 'insert into t_check values (?)',
      bindings: [-1],
      field: 'amount',
    },
  ])('the database error "$name" is a BAD_REQUEST_ERROR, not a 500', async (c) => {
    const error = await gw.deps.db
      .transaction(async (trx) => {
        if (c.setup) await trx.raw(c.setup);
        await trx.raw(c.sql, c.bindings);
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeDefined();
    const mapped = classifyDatabaseError(error);
    expect(mapped?.code, String(error)).toBe('BAD_REQUEST_ERROR');
    expect(mapped?.description).not.toMatch(/select|insert|t_long|t_check/i); // no SQL, no internals
    if (c.field) expect(mapped?.field).toBe(c.field);
  });
});

describe.each(engines)('unexpected errors on %s', (engine) => {
  let gw: TestGateway;
  let lines: LogLine[];
  beforeAll(async () => {
    const capture = captureLogs('info');
    lines = capture.lines;
    gw = await startTestGateway(engine, {}, 'all', { logger: capture.logger });
    // A real bug's shape: a query against a table that is not there. Dropped under locks taken in
    // the relay's order (payments, then refunds): its sweep runs from the start, and a DROP that
    // took refunds first and then needed payments (for the foreign key) could deadlock with it.
    await gw.deps.db.transaction(async (trx) => {
      await trx.raw('lock table payments, refunds in access exclusive mode');
      await trx.raw('drop table refunds cascade');
    });
  });
  afterAll(async () => gw?.close());

  const errorLinesFor = (requestId: unknown) => lines.filter((l) => l.level >= LEVEL.error && l.reqId === requestId);

  it('REST: a 500 is opaque, carries x-request-id, and is logged at error level under that id', async () => {
    const res = await gw.call('GET', '/api/v1/refunds/rfnd_0000000000000000');
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('SERVER_ERROR');
    expect(JSON.stringify(res.body)).not.toMatch(/relation|select|refunds"/i);
    const requestId = res.headers['x-request-id'];
    expect(typeof requestId).toBe('string');
    expect(res.body.error.description).toContain(String(requestId));
    expect(errorLinesFor(requestId).length).toBeGreaterThan(0);
  });

  it('tRPC: a 500 never carries the internal message, carries x-request-id, and is logged at error level under that id', async () => {
    const res = await trpc(gw, 'query', 'refunds.get', { id: 'rfnd_0000000000000000' });
    expect(res.status).toBe(500);
    expect(paygateError(res).code).toBe('SERVER_ERROR');
    expect(JSON.stringify(res.body)).not.toMatch(/relation|select|refunds"/i);
    const requestId = res.headers['x-request-id'];
    expect(typeof requestId).toBe('string');
    expect(paygateError(res).description).toContain(String(requestId));
    expect(errorLinesFor(requestId).length).toBeGreaterThan(0);
  });

  it('request ids are unique per process start, not a counter that every process repeats', async () => {
    const a = await gw.call('GET', '/health', undefined, {});
    const b = await gw.call('GET', '/health', undefined, {});
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    expect(String(a.headers['x-request-id'])).not.toMatch(/^req-\d+$/);
  });

  it('keeps a caller-supplied x-request-id, so a trace spans services', async () => {
    const res = await gw.call('GET', '/health', undefined, { 'x-request-id': 'trace-abc-123' });
    expect(res.headers['x-request-id']).toBe('trace-abc-123');
  });
});
