import { describe, expect, it } from 'vitest';
import { getHeaderValues } from './headers.js';

describe('getHeaderValues', () => {
  it('reads a Fetch Headers object case-insensitively', () => {
    expect(getHeaderValues(new Headers({ 'Webhook-Id': 'evt_1' }), 'WEBHOOK-ID')).toEqual(['evt_1']);
  });

  it('collects every spelling and array item of a plain object, skipping non-strings', () => {
    const headers = { 'webhook-id': 'a', 'Webhook-Id': ['b', 3, 'c'], other: 'x', 'WEBHOOK-ID': undefined };
    expect(getHeaderValues(headers, 'webhook-id')).toEqual(['a', 'b', 'c']);
  });

  it('treats a non-object, a throwing get and a non-string get result as absent', () => {
    expect(getHeaderValues(undefined, 'webhook-id')).toEqual([]);
    expect(getHeaderValues('webhook-id: a', 'webhook-id')).toEqual([]);
    expect(
      getHeaderValues(
        {
          get: () => {
            throw new Error('boom');
          },
        },
        'webhook-id',
      ),
    ).toEqual([]);
    expect(getHeaderValues({ get: () => 42 }, 'webhook-id')).toEqual([]);
  });

  it('reads a null-prototype object as produced by some frameworks', () => {
    const headers = Object.assign(Object.create(null) as Record<string, string>, { 'webhook-id': 'evt_1' });
    expect(getHeaderValues(headers, 'webhook-id')).toEqual(['evt_1']);
  });
});
