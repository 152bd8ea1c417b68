import { describe, expect, it } from 'vitest';
import { jsonWithData } from './json-with-data.js';

describe('jsonWithData', () => {
  const data = { payment: { id: 'pay_1', amount: 50000, note: 'quote " and \\ backslash', at: null } };

  it('is the text JSON.stringify gives the object with data as its last key', () => {
    const head = { id: 'evt_1', event: 'payment.success', sequence: 3 };
    expect(jsonWithData(head, JSON.stringify(data))).toBe(JSON.stringify({ ...head, data }));
  });

  it('makes an object of data alone when the head is empty', () => {
    expect(JSON.parse(jsonWithData({}, JSON.stringify(data)))).toEqual({ data });
  });

  it('drops undefined keys of the head as JSON.stringify does', () => {
    expect(jsonWithData({ id: 'evt_1', gone: undefined }, '1')).toBe('{"id":"evt_1","data":1}');
  });
});
