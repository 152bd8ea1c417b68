import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { PaygateError } from '../errors/paygate-error.js';
import { ID_PREFIXES, type IdKind, type OrderId, type PaymentId, describeBadId, idPattern, isId, newId, parseId } from './ids.js';

const KINDS = Object.keys(ID_PREFIXES) as IdKind[];

function thrown(fn: () => unknown): PaygateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PaygateError) return err;
    throw err;
  }
  throw new Error('expected a PaygateError');
}

describe('ID_PREFIXES', () => {
  it('is the agreed prefix table', () => {
    expect(ID_PREFIXES).toEqual({
      order: 'order',
      payment: 'pay',
      refund: 'rfnd',
      event: 'evt',
      delivery: 'whd',
      merchant: 'merch',
    });
  });
});

describe('newId', () => {
  it.each(KINDS)('makes a %s id: prefix, underscore, 16 base62 characters', (kind) => {
    const id = newId(kind);
    expect(id).toMatch(new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-Za-z]{16}$`));
    expect(isId(kind, id)).toBe(true);
  });

  it('is deterministic with an injected source and clock', () => {
    const zeros = (n: number) => new Uint8Array(n);
    expect(newId('payment', zeros, Date.UTC(2020, 0, 1))).toBe('pay_0000000000000000');
    let b = 0;
    const counting = (n: number) => Uint8Array.from({ length: n }, () => b++);
    // 2026-12-04T17:00:00Z is 218,019,600 s after 2020: '3m4n80' in base36.
    expect(newId('order', counting, Date.UTC(2026, 11, 4, 17))).toBe('order_3m4n800123456789');
  });

  it('begins with the second it was made, so that ids sort by time under any collation', () => {
    const at = (iso: string) => newId('payment', undefined, Date.parse(iso));
    const made = ['2020-01-01T00:00:00.999Z', '2020-01-01T00:00:01Z', '2024-02-29T12:00:00Z', '2026-12-04T17:00:00Z', '2088-06-01T00:00:00Z'].map(at);
    const times = made.map((id) => id.slice('pay_'.length, 'pay_'.length + 6));
    expect(times[0]).toBe('000000');
    expect(times[1]).toBe('000001');
    expect(times.every((t) => /^[0-9a-z]{6}$/.test(t))).toBe(true);
    // Lower-case base36 orders the same byte by byte (collation C) and letter by letter (en_US).
    expect([...made].sort()).toEqual(made);
    expect([...made].sort((x, y) => x.localeCompare(y, 'en-US'))).toEqual(made);
    // A second's ids share the time part; the random part decides nothing else.
    expect(at('2026-12-04T17:00:00.001Z').slice(0, 10)).toBe(at('2026-12-04T17:00:00.999Z').slice(0, 10));
  });

  it('wraps its time part after 36^6 seconds instead of growing (2088)', () => {
    const zeros = (n: number) => new Uint8Array(n);
    const wrap = Date.UTC(2020, 0, 1) + 36 ** 6 * 1000;
    expect(newId('event', zeros, wrap - 1000)).toBe('evt_zzzzzz0000000000');
    expect(newId('event', zeros, wrap)).toBe('evt_0000000000000000');
    expect(newId('event', zeros, Date.UTC(2019, 11, 31, 23, 59, 59))).toBe('evt_zzzzzz0000000000');
  });

  it('does not repeat across many calls from the real CSPRNG', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newId('event')));
    expect(ids.size).toBe(2000);
  });

  it('is typed by kind', () => {
    expectTypeOf(newId('payment')).toEqualTypeOf<PaymentId>();
    expectTypeOf(newId('order')).toEqualTypeOf<OrderId>();
    expectTypeOf(newId('order')).toExtend<string>();
  });
});

describe('isId', () => {
  it('rejects wrong prefix, length, alphabet and type', () => {
    expect(isId('order', 'order_NXhj67fGH2jk9mPq')).toBe(true);
    expect(isId('payment', 'order_NXhj67fGH2jk9mPq')).toBe(false);
    expect(isId('payment', 'pay_H8sK3jD9s2L1pQr')).toBe(false); // 15 chars (the seed README's example)
    expect(isId('payment', 'pay_H8sK3jD9s2L1pQrAB')).toBe(false);
    expect(isId('payment', 'pay_H8sK3jD9s2L1pQ-A')).toBe(false);
    expect(isId('payment', 'PAY_H8sK3jD9s2L1pQrA')).toBe(false);
    expect(isId('payment', 'pay-H8sK3jD9s2L1pQrA')).toBe(false);
    expect(isId('payment', ' pay_H8sK3jD9s2L1pQrA')).toBe(false);
    expect(isId('payment', 'pay_H8sK3jD9s2L1pQrA\n')).toBe(false);
    expect(isId('payment', 42)).toBe(false);
    expect(isId('payment', undefined)).toBe(false);
  });

  it('accepts only ids of its own kind (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.constantFrom(...KINDS), fc.uint8Array({ minLength: 32, maxLength: 32 }), (made, asked, bytes) => {
        const id = newId(made, (n) => bytes.slice(0, n).map((x) => x % 248));
        expect(isId(asked, id)).toBe(made === asked);
      }),
    );
  });
});

describe('idPattern', () => {
  it('matches exactly what isId accepts', () => {
    expect(idPattern('refund').source).toBe('^rfnd_[0-9A-Za-z]{16}$');
    for (const kind of KINDS) {
      const id = newId(kind);
      expect(idPattern(kind).test(id)).toBe(true);
      expect(idPattern(kind).test(`${id}x`)).toBe(false);
    }
  });
});

describe('parseId', () => {
  it('returns a well-formed id unchanged', () => {
    const id: OrderId = parseId('order', 'order_NXhj67fGH2jk9mPq');
    expect(id).toBe('order_NXhj67fGH2jk9mPq');
  });

  it('names the field and the expected shape', () => {
    const err = thrown(() => parseId('order', 'ord_123', 'order_id'));
    expect(err.code).toBe('BAD_REQUEST_ERROR');
    expect(err.field).toBe('order_id');
    expect(err.description).toBe("order_id must be an order id: 'order_' followed by 16 letters or digits (e.g. order_XXXXXXXXXXXXXXXX); got 'ord_123'");
  });

  it('defaults the field to id and says when the id is of another kind', () => {
    const err = thrown(() => parseId('payment', 'rfnd_Zx9Kq2Lm4Np6Rs8T'));
    expect(err.field).toBe('id');
    expect(err.description).toContain("'rfnd_Zx9Kq2Lm4Np6Rs8T' is a refund id");
    expect(err.description).toMatch(/^id must be a payment id/);
  });

  it('describes non-strings and truncates long input', () => {
    expect(describeBadId('event', null, 'id')).toMatch(/an event id.*, not null$/);
    expect(describeBadId('event', 7, 'id')).toMatch(/, not number$/);
    expect(describeBadId('event', 'x'.repeat(100), 'id')).toContain(`'${'x'.repeat(40)}…'`);
  });
});
