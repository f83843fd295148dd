import { describe, expect, it } from 'vitest';
import { describeDatabase, parseSqliteUrl } from './open-store.js';

describe('database URLs', () => {
  it('reads sqlite: paths and the synchronous option', () => {
    expect(parseSqliteUrl('sqlite:./data/idem.db')).toEqual({ path: './data/idem.db', options: {} });
    expect(parseSqliteUrl('sqlite:///tmp/x.db')).toEqual({ path: '/tmp/x.db', options: {} });
    expect(parseSqliteUrl('sqlite:/tmp/x.db?synchronous=normal')).toEqual({ path: '/tmp/x.db', options: { synchronous: 'NORMAL' } });
    expect(parseSqliteUrl('/tmp/bare.db')).toEqual({ path: '/tmp/bare.db', options: {} });
  });

  it('refuses an empty path or an unknown option with a message saying what works', () => {
    expect(() => parseSqliteUrl('sqlite:')).toThrow(/names no file/);
    expect(() => parseSqliteUrl('sqlite:/tmp/x.db?journal=off')).toThrow(/synchronous=full\|normal/);
  });

  it('describes a PostgreSQL URL without its password', () => {
    const text = describeDatabase('postgres://app:s3cret@db.internal:6543/idem');
    expect(text).toBe('PostgreSQL at db.internal:6543/idem');
    expect(text).not.toMatch(/s3cret/);
  });
});
