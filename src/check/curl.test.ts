import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote, toCurl } from './curl.js';

describe('toCurl', () => {
  it('writes method, URL, headers and body so a shell passes them through unchanged', () => {
    const body = `{"name":"O'Brien","note":"$HOME \`x\`"}`;
    const command = toCurl({ method: 'PUT', url: 'http://127.0.0.1:1/c/1', headers: { 'If-Match': '"abc"', 'Content-Type': 'application/json' }, body });
    expect(command).toBe(`curl -sS -i -X PUT http://127.0.0.1:1/c/1 -H 'If-Match: "abc"' -H 'Content-Type: application/json' --data-binary '{"name":"O'\\''Brien","note":"$HOME \`x\`"}'`);
    // The real shell turns the quoted body back into exactly the bytes that were sent.
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(body)}`], { encoding: 'utf8' })).toBe(body);
  });

  it('uses -I for HEAD and no -X for a plain GET', () => {
    expect(toCurl({ method: 'HEAD', url: 'http://h/x', headers: {} })).toBe('curl -sS -I http://h/x');
    expect(toCurl({ method: 'GET', url: 'http://h/x?a=1&b=2', headers: {} })).toBe("curl -sS -i 'http://h/x?a=1&b=2'");
  });

  it('never writes a credential: Authorization, Cookie and API-key headers become shell variables', () => {
    const command = toCurl({ method: 'GET', url: 'http://h/x', headers: { Authorization: 'Bearer s3cret', Cookie: 'sid=1', 'X-Api-Key': 'k' } });
    expect(command).toBe('curl -sS -i http://h/x -H "Authorization: $IDEM_AUTHORIZATION" -H "Cookie: $IDEM_COOKIE" -H "X-Api-Key: $IDEM_X_API_KEY"');
  });
});
