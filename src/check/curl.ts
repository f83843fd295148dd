/**
 * Reproducible curl commands for the requests behind a verdict, so a reader can run the
 * exact request again. Credentials are never written into a report: the values of
 * credential headers are replaced by a shell variable the reader sets.
 */

/** Headers whose values are secrets (RFC 9110 §11.6.2, §11.7.2; cookies; common API-key headers). */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key']);

/** A request as the checker sent it. */
export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

/** Quote a string for a POSIX shell: single quotes, with `'` written as `'\''`. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The environment variable a redacted header's value is read from, e.g. `$IDEM_AUTHORIZATION`. */
export function secretVariable(header: string): string {
  return `IDEM_${header.toUpperCase().replaceAll('-', '_')}`;
}

/**
 * The curl command for one request. `-i` shows the status line and headers, which is where
 * most verdicts are decided. HEAD uses `-I` because curl would otherwise wait for content.
 */
export function toCurl(request: CurlRequest): string {
  const parts = ['curl', '-sS'];
  const method = request.method.toUpperCase();
  if (method === 'HEAD') parts.push('-I');
  else {
    parts.push('-i');
    if (method !== 'GET' || request.body !== undefined) parts.push('-X', method);
  }
  parts.push(shellQuote(request.url));
  for (const [name, value] of Object.entries(request.headers)) {
    if (SECRET_HEADERS.has(name.toLowerCase())) {
      // Double quotes so the shell expands the variable; the name itself needs no escaping.
      parts.push('-H', `"${name}: $${secretVariable(name)}"`);
    } else {
      parts.push('-H', shellQuote(`${name}: ${value}`));
    }
  }
  if (request.body !== undefined) parts.push('--data-binary', shellQuote(request.body));
  return parts.join(' ');
}
