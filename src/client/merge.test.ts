import { describe, expect, it } from 'vitest';
import { changedFields, jsonEqual, threeWayMerge } from './merge.js';

const ignore = ['id', 'version', 'createdAt', 'updatedAt'];
const base = { id: 't1', version: 1, subject: 'Printer', status: 'open', notes: ['a'] };

describe('three-way merge of top-level fields', () => {
  it('disjoint changes are combined on top of theirs, keeping theirs\' version', () => {
    const mine = { ...base, status: 'closed' };
    const theirs = { ...base, version: 2, notes: ['a', 'b'] };
    expect(threeWayMerge(base, mine, theirs, ignore)).toEqual({ merged: { ...base, version: 2, status: 'closed', notes: ['a', 'b'] } });
  });

  it('a field both sides changed differently is a conflict, named', () => {
    const mine = { ...base, status: 'closed' };
    const theirs = { ...base, version: 2, status: 'pending' };
    expect(threeWayMerge(base, mine, theirs, ignore)).toEqual({ conflict: ['status'] });
  });

  it('the same change on both sides is not a conflict', () => {
    const mine = { ...base, status: 'closed' };
    const theirs = { ...base, version: 2, status: 'closed' };
    expect(threeWayMerge(base, mine, theirs, ignore)).toEqual({ merged: theirs });
  });

  it('a field I removed is removed from theirs', () => {
    const { notes: _n, ...mine } = base;
    const theirs = { ...base, version: 2, subject: 'Scanner' };
    expect(threeWayMerge(base, mine, theirs, ignore)).toEqual({ merged: { id: 't1', version: 2, subject: 'Scanner', status: 'open' } });
  });

  it('server-managed fields never conflict', () => {
    expect(changedFields(base, { ...base, version: 9, updatedAt: 'x' }, ignore)).toEqual([]);
  });
});

describe('jsonEqual', () => {
  it('ignores object key order but not array order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: undefined }, {})).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
  });
});
