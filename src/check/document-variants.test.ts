import { describe, expect, it } from 'vitest';
import { changeCandidates, clientFields, freshen, omittableFields } from './document-variants.js';

describe('document variants', () => {
  it('leaves out optional fields first when the schema says which are required, else the last field first', () => {
    const schema = { required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer' }, city: { type: 'string' } } };
    expect(omittableFields({ name: 'a', age: 1, city: 'b' }, schema)).toEqual(['age', 'city']);
    expect(omittableFields({ name: 'a', age: 1, city: 'b' })).toEqual(['city', 'age', 'name']);
  });

  it('changes plain strings first, enums to another member, and always to a value different from the current one', () => {
    const schema = { properties: { status: { enum: ['ontime', 'late'] }, gate: { type: 'string' } } };
    const [first, second] = changeCandidates({ status: 'ontime', gate: 'B12' }, schema);
    expect(first?.field).toBe('gate');
    const a = first?.differentFrom('B12');
    expect(a).not.toBe('B12');
    expect(first?.differentFrom(a)).not.toBe(a);
    expect(second?.field).toBe('status');
    expect(second?.differentFrom('ontime')).toBe('late');
    expect(second?.differentFrom('late')).toBe('ontime');
  });

  it('respects maximum and maxLength when changing numbers and strings', () => {
    const schema = { properties: { n: { type: 'integer', maximum: 3 }, s: { type: 'string', maxLength: 4 } } };
    const candidates = changeCandidates({ n: 3, s: 'abcd' }, schema);
    const n = candidates.find((c) => c.field === 'n')?.differentFrom(3) as number;
    const s = candidates.find((c) => c.field === 's')?.differentFrom('abcd') as string;
    expect(n).toBeLessThanOrEqual(3);
    expect(n).not.toBe(3);
    expect(s.length).toBeLessThanOrEqual(4);
    expect(s).not.toBe('abcd');
  });

  it('tags free-text strings (emails as plus-addresses) and leaves constrained ones and the id alone', () => {
    const schema = { properties: { status: { enum: ['a', 'b'] }, code: { type: 'string', pattern: '^[A-Z]{3}$' } } };
    const sample = clientFields({ id: 'x', name: 'Ann', email: 'ann@example.com', status: 'a', code: 'OSL', age: 4 }, 'id');
    expect(freshen(sample, 't1', schema)).toEqual({ name: 'Ann-t1', email: 'ann+t1@example.com', status: 'a', code: 'OSL', age: 4 });
  });
});
