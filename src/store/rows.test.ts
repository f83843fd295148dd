import { describe, expect, it } from 'vitest';
import { decodeResponse, encodeResponse } from './rows.js';

describe('stored responses (idempotency key rows)', () => {
  it('come back exactly as stored, whatever the body holds', () => {
    for (const body of ['', '{"id":"1","note":"a \\"quoted\\"\\nline"}', 'line one\nline two\n', 'ünïcødé ✓ \u2028']) {
      const response = { status: 201, headers: { location: '/orders/1', 'content-type': 'application/json; charset=utf-8' }, body };
      expect(decodeResponse(encodeResponse(response))).toEqual(response);
    }
  });

  it('keep the body as sent, unescaped, after one head line', () => {
    const text = encodeResponse({ status: 200, headers: {}, body: '{"a":"b"}' });
    expect(text).toBe('{"status":200,"headers":{}}\n{"a":"b"}');
  });

  it('still read rows written as one JSON object', () => {
    const old = JSON.stringify({ status: 404, headers: { 'content-type': 'application/problem+json' }, body: '{"title":"Not Found"}' });
    expect(decodeResponse(old)).toEqual({ status: 404, headers: { 'content-type': 'application/problem+json' }, body: '{"title":"Not Found"}' });
  });
});
