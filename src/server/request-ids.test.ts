import { describe, expect, it } from 'vitest';
import { requestIdGenerator } from './request-ids.js';

const UUID_V8 = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('are RFC 9562 UUIDv8 strings (version 8, variant 10)', () => {
    const next = requestIdGenerator();
    for (let i = 0; i < 1000; i++) expect(next()).toMatch(UUID_V8);
  });

  it('never repeat within a process: the last 48 bits count requests', () => {
    const next = requestIdGenerator();
    const ids = new Set<string>();
    for (let i = 0; i < 100_000; i++) ids.add(next());
    expect(ids.size).toBe(100_000);
    expect(next().slice(24)).toBe((100_001).toString(16).padStart(12, '0'));
  });

  it('differ between generators (processes, restarts) in their random part', () => {
    const prefixes = new Set(Array.from({ length: 50 }, () => requestIdGenerator()().slice(0, 24)));
    expect(prefixes.size).toBe(50);
  });
});
