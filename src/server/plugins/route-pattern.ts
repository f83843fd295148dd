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
  const segments = (path.split('?')[0] ?? '').split('/').slice(1);
  const [name, id, sub, version, ...rest] = segments;
  if (name === undefined || !collections.has(name) || rest.length > 0) return 'unmatched';
  if (id === undefined) return `/${name}`;
  if (sub === undefined) return `/${name}/{id}`;
  if (sub === 'versions' && version === undefined) return `/${name}/{id}/versions`;
  if (sub === 'versions') return `/${name}/{id}/versions/{n}`;
  if (sub === 'effects' && version === undefined) return `/${name}/{id}/effects`;
  return 'unmatched';
}
