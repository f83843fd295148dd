import { TransportError, type CheckHttp } from './http.js';
import type { CleanupResult } from './types.js';

/**
 * Everything the checker created, so it can delete it afterwards. The checker audits live
 * APIs, so leaving test documents behind would be its own small data-quality bug: every
 * 201 and every resolvable Location is recorded, and the clean-up outcome is reported.
 */
export class CreatedResources {
  private readonly entries = new Map<string, { deletedByCheck: boolean }>();

  /** Record a resource URL the checker caused to exist. */
  add(url: string): void {
    if (!this.entries.has(url)) this.entries.set(url, { deletedByCheck: false });
  }

  /** Record that a check already deleted it (the DELETE checks do). */
  markDeleted(url: string): void {
    this.entries.set(url, { deletedByCheck: true });
  }

  /** The URLs recorded so far. */
  urls(): string[] {
    return [...this.entries.keys()];
  }

  /** DELETE, best effort, everything not deleted already; never throws. */
  async cleanUp(http: CheckHttp): Promise<CleanupResult[]> {
    const results: CleanupResult[] = [];
    for (const [url, entry] of this.entries) {
      if (entry.deletedByCheck) {
        results.push({ url, status: null, ok: true, note: 'deleted by the DELETE checks' });
        continue;
      }
      results.push(await deleteOne(http, url));
    }
    return results;
  }
}

async function deleteOne(http: CheckHttp, url: string): Promise<CleanupResult> {
  try {
    let response = await http.send('DELETE', url);
    if (response.status === 428) {
      // The API requires If-Match on DELETE (RFC 6585 §3): send the current ETag.
      const current = await http.send('GET', url);
      const etag = current.headers.get('etag');
      if (etag !== null) response = await http.send('DELETE', url, { headers: { 'If-Match': etag } });
    }
    const gone = (response.status >= 200 && response.status < 300) || response.status === 404 || response.status === 410;
    return { url, status: response.status, ok: gone, note: gone ? 'deleted' : `DELETE answered ${response.status}: left in place` };
  } catch (error) {
    const message = error instanceof TransportError ? error.message : String(error);
    return { url, status: null, ok: false, note: message };
  }
}
