import { describe, expect, it } from 'vitest';
import { classifyUpstreamStatus } from './outcome-policy.js';

describe('upstream outcome policy', () => {
  it('2xx, 3xx and 4xx answers are definitive: stored and replayed', () => {
    for (const s of [200, 201, 202, 204, 303, 400, 401, 403, 404, 409, 410, 412, 415, 422]) expect(classifyUpstreamStatus(s)).toBe('definitive');
  });

  it('408, 425 and 429 say "not processed, retry": provisional', () => {
    for (const s of [408, 425, 429]) expect(classifyUpstreamStatus(s)).toBe('provisional');
  });

  it('502, 503 and 504 (not processed) are provisional: the key is released', () => {
    for (const s of [502, 503, 504]) expect(classifyUpstreamStatus(s)).toBe('provisional');
  });

  it('500 and other 5xx are definitive: the upstream may have written before failing, so it never runs twice', () => {
    for (const s of [500, 501, 505, 599]) expect(classifyUpstreamStatus(s)).toBe('definitive');
  });
});
