/**
 * The route pattern a request is counted under in /metrics. Resource requests all reach one
 * catch-all Fastify route, so its pattern (`/*`) says nothing; the path is mapped onto the
 * engine's route shapes instead, with the declared collection name kept and ids replaced.
 * Unknown collections collapse into one label, so a scan of random URLs cannot create an
 * unbounded number of time series.
 */
export function routePattern(routeUrl: string | undefined, path: string, collections: ReadonlySet<string>): string {
  if (routeUrl === undefined) return 'unmatched';
  if (!routeUrl.includes('*')) return routeUrl;
  const q = path.indexOf('?');
  // ['', name, id, sub, version]: a sixth part is a path no route has.
  const parts = (q === -1 ? path : path.slice(0, q)).split('/', 6);
  const name = parts[1];
  const id = parts[2];
  const sub = parts[3];
  const version = parts[4];
  if (name === undefined || !collections.has(name) || parts.length > 5) return 'unmatched';
  if (id === undefined) return `/${name}`;
  if (sub === undefined) return `/${name}/{id}`;
  if (sub === 'versions' && version === undefined) return `/${name}/{id}/versions`;
  if (sub === 'versions') return `/${name}/{id}/versions/{n}`;
  if (sub === 'effects' && version === undefined) return `/${name}/{id}/effects`;
  return 'unmatched';
}
