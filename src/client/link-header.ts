/**
 * Read a `Link` header (RFC 8288 §3): `<uri-reference>; rel="next", <…>; rel="prev"`.
 * Returns the target of the first link whose `rel` (a space-separated list, §3.3) contains
 * `rel`, resolved against `baseUrl` (§3.1: relative references resolve against the request URL).
 */
export function findLink(header: string | null, rel: string, baseUrl: string): string | undefined {
  if (header === null) return undefined;
  for (const link of splitLinks(header)) {
    const rels = (link.params.get('rel') ?? '').toLowerCase().split(/\s+/);
    if (!rels.includes(rel.toLowerCase())) continue;
    try {
      return new URL(link.target, baseUrl).toString();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

interface Link {
  target: string;
  /** Lower-case parameter names; the first occurrence wins (§3.3 for rel). */
  params: Map<string, string>;
}

/** Split the field into links, honouring quoted strings so a `,` or `;` inside quotes does not split. */
function splitLinks(header: string): Link[] {
  const links: Link[] = [];
  let i = 0;
  while (i < header.length) {
    const open = header.indexOf('<', i);
    if (open < 0) break;
    const close = header.indexOf('>', open);
    if (close < 0) break;
    const link: Link = { target: header.slice(open + 1, close), params: new Map() };
    i = close + 1;
    // link-param = token BWS [ "=" BWS ( token / quoted-string ) ], separated by ";"
    while (i < header.length && header[i] !== ',') {
      const param = /^\s*;\s*([^\s=;,]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;,]*)))?\s*/.exec(header.slice(i));
      if (!param) {
        i++;
        continue;
      }
      const name = (param[1] ?? '').toLowerCase();
      const value = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
      if (!link.params.has(name)) link.params.set(name, value);
      i += param[0].length;
    }
    links.push(link);
    i++;
  }
  return links;
}
