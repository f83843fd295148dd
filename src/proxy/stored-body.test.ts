import { describe, expect, it } from 'vitest';
import { BODY_ENCODING_HEADER, decodeStoredBody, encodeStoredBody } from './stored-body.js';

describe('stored response bodies', () => {
  it('UTF-8 text is stored as text, unflagged, and decodes to the same bytes', () => {
    const headers: Record<string, string> = {};
    const bytes = Buffer.from('{"name":"Zoë ✓"}', 'utf8');
    const body = encodeStoredBody(bytes, headers);
    expect(body).toBe('{"name":"Zoë ✓"}');
    expect(headers[BODY_ENCODING_HEADER]).toBeUndefined();
    expect(decodeStoredBody({ status: 200, headers, body })).toEqual(bytes);
  });

  it('bytes that are not UTF-8 are stored base64 with a flag and decode to the same bytes', () => {
    const headers: Record<string, string> = {};
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xc0]);
    const body = encodeStoredBody(bytes, headers);
    expect(headers[BODY_ENCODING_HEADER]).toBe('base64');
    expect(decodeStoredBody({ status: 200, headers, body })).toEqual(bytes);
  });

  it('a UTF-8 byte order mark survives the round trip', () => {
    const headers: Record<string, string> = {};
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]);
    expect(decodeStoredBody({ status: 200, headers, body: encodeStoredBody(bytes, headers) })).toEqual(bytes);
  });
});
