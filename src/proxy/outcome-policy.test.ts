import { describe, expect, it } from 'vitest';
import { classifyUpstreamStatus } from './outcome-policy.js';

describe('upstream outcome policy', () => {
  it('2xx, 3xx and 4xx answers are definitive: stored and replayed', () => {
    for (const s of [200, 201, 202, 204, 303, 400, 401, 403, 404, 409, 410, 412, 415, 422]) expect(classifyUpstreamStatus(s)).toBe('definitive');
  });

  it('408, 425 and 429 say "not processed, retry": provisional', () => {
    for (const s of [408, 425, 429]) expect(classifyUpstreamStatus(s)).toBe('provisional');
  });

  it('5xx answers, 502/503/504 above all, are provisional: the key is released', () => {
    for (const s of [500, 501, 502, 503, 504, 599]) expect(classifyUpstreamStatus(s)).toBe('provisional');
  });
});
