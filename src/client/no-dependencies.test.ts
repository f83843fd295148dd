import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/*
 * The client must run in browsers (issue 7): its runtime files import nothing but each
 * other — no node: modules, no packages, nothing else from src/. Tests and test-support may.
 */
describe('the client has no runtime dependencies', () => {
  it('every runtime file imports only sibling client files', () => {
    const dir = new URL('./', import.meta.url);
    const runtime = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(runtime).toContain('index.ts');
    let checked = 0;
    for (const file of runtime) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]);
      for (const spec of specifiers) expect(spec, `${file} imports ${spec}`).toMatch(/^\.\/[a-z-]+\.js$/);
      checked += specifiers.length;
    }
    expect(checked).toBeGreaterThan(20);
  });
});
