import { z } from 'zod';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { PaygateError } from '../errors/paygate-error.js';
import { MAX_AMOUNT } from '../money/money.js';
import { type ClockAdvanceInput, clockAdvanceSchema } from './clock.js';
import { type ListQueryInput, listQuerySchema } from './list-query.js';
import { type CreateMerchantInput, createMerchantSchema } from './merchant.js';
import { parseInput } from './parse-input.js';
import { createOrderSchema } from './order.js';
import { createPaymentSchema } from './payment.js';
import { type CreateRefundInput, createRefundSchema } from './refund.js';
import { type WebhookConfigInput, webhookConfigSchema } from './webhook-config.js';

function badRequest(schema: z.ZodType, input: unknown): { field: string | undefined; description: string } {
  try {
    parseInput(schema, input);
  } catch (err) {
    if (err instanceof PaygateError && err.code === 'BAD_REQUEST_ERROR') {
      return { field: err.field, description: err.description };
    }
    throw err;
  }
  throw new Error('expected BAD_REQUEST_ERROR');
}

describe('createRefundSchema', () => {
  it('accepts an empty body (full refund) and a partial one', () => {
    expect(parseInput(createRefundSchema, {})).toEqual({});
    expect(parseInput(createRefundSchema, { amount: 100, reason: 'damaged', notes: { ticket: 'T-1' } })).toEqual({
      amount: 100,
      reason: 'damaged',
      notes: { ticket: 'T-1' },
    });
  });

  it('bounds amount and reason', () => {
    expect(badRequest(createRefundSchema, { amount: 0 }).field).toBe('amount');
    expect(badRequest(createRefundSchema, { amount: MAX_AMOUNT + 1 }).field).toBe('amount');
    expect(badRequest(createRefundSchema, { amount: 10.5 }).description).toBe('amount must be an integer in minor units (e.g. 50000 for ₹500.00); got 10.5');
    expect(badRequest(createRefundSchema, { reason: 'r'.repeat(256) })).toEqual({
      field: 'reason',
      description: 'reason must be at most 255 characters',
    });
    expect(badRequest(createRefundSchema, { reason: 1 }).description).toBe('reason must be a string of at most 255 characters; got 1');
    expect(badRequest(createRefundSchema, { speed: 'optimum' }).description).toBe("field 'speed' is not allowed; allowed fields: amount, reason, notes");
  });
});

describe('listQuerySchema', () => {
  it('defaults and coerces query-string values', () => {
    expect(parseInput(listQuerySchema, {})).toEqual({ limit: 10, offset: 0 });
    expect(parseInput(listQuerySchema, { limit: '100', offset: '20', status: 'failed' })).toEqual({
      limit: 100,
      offset: 20,
      status: 'failed',
    });
  });

  it('bounds limit and offset', () => {
    expect(badRequest(listQuerySchema, { limit: '0' })).toEqual({
      field: 'limit',
      description: 'limit must be an integer from 1 to 100; got 0',
    });
    expect(badRequest(listQuerySchema, { limit: '101' }).field).toBe('limit');
    expect(badRequest(listQuerySchema, { limit: 'ten' }).description).toBe('limit must be an integer from 1 to 100; got NaN');
    expect(badRequest(listQuerySchema, { limit: '2.5' }).field).toBe('limit');
    expect(badRequest(listQuerySchema, { offset: '-1' })).toEqual({
      field: 'offset',
      description: 'offset must be an integer of 0 or more; got -1',
    });
    expect(badRequest(listQuerySchema, { status: '' }).description).toBe('status must not be empty; leave it out to list every status');
    expect(badRequest(listQuerySchema, { status: 's'.repeat(41) }).description).toBe('status must be at most 40 characters');
    expect(badRequest(listQuerySchema, { status: ['a', 'b'] }).description).toBe('status must be a single status name such as pending or failed');
    expect(badRequest(listQuerySchema, { page: '2' })).toEqual({
      field: 'page',
      description: "field 'page' is not allowed in the query string; allowed fields: limit, offset, status",
    });
  });
});

describe('webhookConfigSchema', () => {
  it('accepts http(s) URLs, including local ones, and null', () => {
    expect(parseInput(webhookConfigSchema, { webhook_url: 'https://example.com/webhooks', enabled: true })).toEqual({
      webhook_url: 'https://example.com/webhooks',
      enabled: true,
    });
    expect(parseInput(webhookConfigSchema, { webhook_url: 'http://localhost:4000/webhook' }).webhook_url).toBe('http://localhost:4000/webhook');
    expect(parseInput(webhookConfigSchema, { webhook_url: null })).toEqual({ webhook_url: null });
  });

  it('rejects other schemes, non-URLs, a missing URL and long URLs', () => {
    const what = 'an http:// or https:// URL such as https://example.com/webhooks, or null to stop sending webhooks';
    expect(badRequest(webhookConfigSchema, { webhook_url: 'ftp://example.com' })).toEqual({
      field: 'webhook_url',
      description: `webhook_url must be ${what}; got "ftp://example.com"`,
    });
    expect(badRequest(webhookConfigSchema, { webhook_url: 'not a url' }).field).toBe('webhook_url');
    expect(badRequest(webhookConfigSchema, {}).description).toBe(`webhook_url is required: it must be ${what}`);
    expect(badRequest(webhookConfigSchema, { webhook_url: `https://e.com/${'a'.repeat(2048)}` }).description).toBe(
      'webhook_url must be at most 2048 characters',
    );
    expect(badRequest(webhookConfigSchema, { webhook_url: null, enabled: 'yes' })).toEqual({
      field: 'enabled',
      description: 'enabled must be true or false; got "yes"',
    });
  });
});

describe('createMerchantSchema', () => {
  it('accepts a name and an email, trimming the name', () => {
    expect(parseInput(createMerchantSchema, { name: '  Acme ', email: 'dev@example.com' })).toEqual({
      name: 'Acme',
      email: 'dev@example.com',
    });
  });

  it('rejects empty or long names and bad emails', () => {
    expect(badRequest(createMerchantSchema, { name: '  ', email: 'dev@example.com' })).toEqual({
      field: 'name',
      description: 'name must not be empty',
    });
    expect(badRequest(createMerchantSchema, { name: 'n'.repeat(101), email: 'dev@example.com' }).description).toBe('name must be at most 100 characters');
    expect(badRequest(createMerchantSchema, { email: 'dev@example.com' }).description).toBe('name is required: it must be a string of 1 to 100 characters');
    expect(badRequest(createMerchantSchema, { name: 'Acme', email: 'dev@' })).toEqual({
      field: 'email',
      description: 'email must be an email address like dev@example.com; got "dev@"',
    });
  });
});

describe('clockAdvanceSchema', () => {
  it('accepts 1 s to one year', () => {
    expect(parseInput(clockAdvanceSchema, { seconds: 1 })).toEqual({ seconds: 1 });
    expect(parseInput(clockAdvanceSchema, { seconds: 31_536_000 })).toEqual({ seconds: 31_536_000 });
  });

  it('rejects zero, fractions, too much and strings', () => {
    const what = 'an integer from 1 to 31536000 (one year)';
    expect(badRequest(clockAdvanceSchema, { seconds: 0 })).toEqual({ field: 'seconds', description: `seconds must be ${what}; got 0` });
    expect(badRequest(clockAdvanceSchema, { seconds: 1.5 }).field).toBe('seconds');
    expect(badRequest(clockAdvanceSchema, { seconds: 31_536_001 }).field).toBe('seconds');
    expect(badRequest(clockAdvanceSchema, { seconds: '30m' }).description).toBe(`seconds must be ${what}; got "30m"`);
  });
});

describe('JSON Schema', () => {
  it('every request schema converts (io: input) without unrepresentable parts, for the OpenAPI document', () => {
    for (const schema of [
      createOrderSchema,
      createPaymentSchema,
      createRefundSchema,
      listQuerySchema,
      webhookConfigSchema,
      createMerchantSchema,
      clockAdvanceSchema,
    ]) {
      const json = z.toJSONSchema(schema, { io: 'input' }) as { additionalProperties?: unknown; oneOf?: unknown[] };
      expect(json.additionalProperties === false || Array.isArray(json.oneOf)).toBe(true);
    }
    expect(JSON.stringify(z.toJSONSchema(createPaymentSchema, { io: 'input' }))).toContain('"pattern":"^order_[0-9A-Za-z]{16}$"');
  });
});

describe('parseInput', () => {
  it('prefixes the field when a schema uses zod default messages', () => {
    const schema = z.object({ outer: z.object({ inner: z.string() }) });
    expect(badRequest(schema, { outer: { inner: 1 } })).toEqual({
      field: 'outer.inner',
      description: 'outer.inner: Invalid input: expected string, received number',
    });
  });

  it('keeps the zod error as the cause and ignores `now` for schemas without a clock', () => {
    expect.assertions(3);
    try {
      parseInput(z.number(), 'x', new Date());
    } catch (err) {
      expect(err).toBeInstanceOf(PaygateError);
      expect((err as PaygateError).field).toBeUndefined();
      expect((err as PaygateError).cause).toBeInstanceOf(z.ZodError);
    }
  });

  it('infers output types', () => {
    expectTypeOf(parseInput(listQuerySchema, {})).toEqualTypeOf<ListQueryInput>();
    expectTypeOf<ListQueryInput['limit']>().toEqualTypeOf<number>();
    expectTypeOf<CreateRefundInput['amount']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<WebhookConfigInput['webhook_url']>().toEqualTypeOf<string | null>();
    expectTypeOf<CreateMerchantInput>().toEqualTypeOf<{ name: string; email: string }>();
    expectTypeOf<ClockAdvanceInput>().toEqualTypeOf<{ seconds: number }>();
  });
});
