import { describe, expect, it } from 'vitest';
import { describeDatabase, parseSqliteUrl } from './open-store.js';

describe('database URLs', () => {
  it('reads sqlite: paths and the synchronous option', () => {
    expect(parseSqliteUrl('sqlite:./data/idem.db')).toEqual({ path: './data/idem.db', options: {} });
    expect(parseSqliteUrl('sqlite:///tmp/x.db')).toEqual({ path: '/tmp/x.db', options: {} });
    expect(parseSqliteUrl('sqlite:/tmp/x.db?synchronous=normal')).toEqual({ path: '/tmp/x.db', options: { synchronous: 'NORMAL' } });
    expect(parseSqliteUrl('/tmp/bare.db')).toEqual({ path: '/tmp/bare.db', options: {} });
    expect(parseSqliteUrl('sqlite:/tmp/x.db?synchronous=full&read_cache_mb=64')).toEqual({ path: '/tmp/x.db', options: { synchronous: 'FULL', readCacheMb: 64 } });
    expect(parseSqliteUrl('sqlite:/tmp/x.db?checkpoints=inline')).toEqual({ path: '/tmp/x.db', options: { backgroundCheckpoints: false } });
    expect(parseSqliteUrl('sqlite:/tmp/x.db?checkpoints=background')).toEqual({ path: '/tmp/x.db', options: { backgroundCheckpoints: true } });
  });

  it('refuses an empty path or an unknown option with a message saying what works', () => {
    expect(() => parseSqliteUrl('sqlite:')).toThrow(/names no file/);
    expect(() => parseSqliteUrl('sqlite:/tmp/x.db?journal=off')).toThrow(/synchronous=full\|normal, read_cache_mb=1\.\.4096 and checkpoints=background\|inline/);
    expect(() => parseSqliteUrl('sqlite:/tmp/x.db?checkpoints=never')).toThrow(/checkpoints=background\|inline/);
    for (const bad of ['0', '-1', '5000', 'lots', '1.5']) expect(() => parseSqliteUrl(`sqlite:/tmp/x.db?read_cache_mb=${bad}`), bad).toThrow(/read_cache_mb=1\.\.4096/);
  });

  it('refuses a URL of another scheme instead of taking it for a file name', () => {
    for (const url of ['mysql://app@db/idem', 'postgress://app@db/idem', 'http://db/idem', 'file:/tmp/x.db']) {
      expect(() => parseSqliteUrl(url), url).toThrow(/does not know the scheme .*sqlite:PATH .*postgres:\/\/user@host\/db/);
    }
    expect(() => describeDatabase('mysql://app@db/idem')).toThrow(/scheme mysql:/);
    // Paths still read as paths: a drive letter is not a scheme, and ./ or sqlite: keeps a colon in a name.
    expect(parseSqliteUrl('C:/data/idem.db').path).toBe('C:/data/idem.db');
    expect(parseSqliteUrl('./dev:1.db').path).toBe('./dev:1.db');
    expect(parseSqliteUrl('sqlite:dev:1.db').path).toBe('dev:1.db');
    // Schemes are case-insensitive (RFC 3986 §3.1).
    expect(parseSqliteUrl('SQLite:./x.db').path).toBe('./x.db');
    expect(describeDatabase('PostgreSQL://app@db.internal/idem')).toBe('PostgreSQL at db.internal:5432/idem');
  });

  it('describes a SQLite URL with its settings', () => {
    expect(describeDatabase('sqlite:./data/idem.db')).toBe('SQLite file ./data/idem.db (WAL, synchronous=FULL)');
    expect(describeDatabase('sqlite:./d.db?synchronous=normal&read_cache_mb=64')).toBe('SQLite file ./d.db (WAL, synchronous=NORMAL, read cache 64 MiB)');
    expect(describeDatabase('sqlite:./d.db?checkpoints=inline')).toBe('SQLite file ./d.db (WAL, synchronous=FULL, checkpoints inline)');
  });

  it('describes a PostgreSQL URL without its password', () => {
    const text = describeDatabase('postgres://app:s3cret@db.internal:6543/idem');
    expect(text).toBe('PostgreSQL at db.internal:6543/idem');
    expect(text).not.toMatch(/s3cret/);
  });
});
