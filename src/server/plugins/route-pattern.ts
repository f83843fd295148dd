/** The label of every path no route has. */
const UNMATCHED = 'unmatched';

interface CollectionPatterns {
  collection: string;
  item: string;
  versions: string;
  version: string;
  effects: string;
}

/**
 * The route pattern a request is counted under in /metrics. Resource requests all reach one
 * catch-all Fastify route, so its pattern (`/*`) says nothing; the path is mapped onto the
 * engine's route shapes instead, with the declared collection name kept and ids replaced.
 * Unknown collections collapse into one label, so a scan of random URLs cannot create an
 * unbounded number of time series.
 *
 * This runs on every request, so the labels are built once per collection and the path is
 * read with index arithmetic: the only allocation is the collection name's slice.
 */
export function routePatterns(collections: readonly string[]): (routeUrl: string | undefined, path: string) => string {
  const byName = new Map<string, CollectionPatterns>();
  for (const name of collections) {
    byName.set(name, {
      collection: `/${name}`,
      item: `/${name}/{id}`,
      versions: `/${name}/{id}/versions`,
      version: `/${name}/{id}/versions/{n}`,
      effects: `/${name}/{id}/effects`,
    });
  }
  return (routeUrl, path) => {
    if (routeUrl === undefined) return UNMATCHED;
    if (!routeUrl.includes('*')) return routeUrl;
    const q = path.indexOf('?');
    const end = q === -1 ? path.length : q;
    // Segment boundaries: /name[/id[/sub[/n]]]; a fifth segment is a path no route has.
    const afterName = segmentEnd(path, 1, end);
    const patterns = byName.get(path.slice(1, afterName));
    if (patterns === undefined) return UNMATCHED;
    if (afterName === end) return patterns.collection;
    const afterId = segmentEnd(path, afterName + 1, end);
    if (afterId === end) return patterns.item;
    const afterSub = segmentEnd(path, afterId + 1, end);
    const sub = afterSub - afterId - 1;
    if (afterSub === end) {
      if (sub === 8 && path.startsWith('versions', afterId + 1)) return patterns.versions;
      if (sub === 7 && path.startsWith('effects', afterId + 1)) return patterns.effects;
      return UNMATCHED;
    }
    const afterVersion = segmentEnd(path, afterSub + 1, end);
    if (afterVersion === end && sub === 8 && path.startsWith('versions', afterId + 1)) return patterns.version;
    return UNMATCHED;
  };
}

/** Index of the `/` ending the segment that starts at `start`, or `end`. */
function segmentEnd(path: string, start: number, end: number): number {
  const slash = path.indexOf('/', start);
  return slash === -1 || slash > end ? end : slash;
}
