/**
 * The per-request HTTP metrics, kept with plain arithmetic and handed to prom-client only when
 * /metrics is scraped. prom-client's own Counter and Histogram validate and hash their label
 * object on every call — even through `labels()` children — which cost about 4 µs a request,
 * a fifth of a whole GET. Here a request is one Map look-up and a few additions; the exposition
 * (names, labels, cumulative `le` buckets, `_sum`, `_count`) is exactly what prom-client writes.
 */

interface Series {
  labels: { method: string; route: string; status: string };
  count: number;
  sum: number;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  perBucket: number[];
}

/** A metric object prom-client's Registry can register and render. */
export interface CustomMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  get(): { name: string; help: string; type: string; values: Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>; aggregator: string };
  reset(): void;
}

export class RequestMetrics {
  private readonly series = new Map<string, Series>();

  constructor(private readonly buckets: readonly number[]) {}

  /** Count one answered request and its duration in seconds. */
  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let s = this.series.get(key);
    if (!s) {
      s = { labels: { method, route, status: String(status) }, count: 0, sum: 0, perBucket: new Array<number>(this.buckets.length + 1).fill(0) };
      this.series.set(key, s);
    }
    s.count++;
    s.sum += seconds;
    let i = 0;
    while (i < this.buckets.length && seconds > (this.buckets[i] as number)) i++;
    (s.perBucket as number[])[i] = ((s.perBucket as number[])[i] as number) + 1;
  }

  /** `name`: requests by method, route and status. */
  counter(name: string, help: string): CustomMetric {
    const get = () => ({
      name,
      help,
      type: 'counter',
      aggregator: 'sum',
      values: [...this.series.values()].map((s) => ({ labels: s.labels, value: s.count })),
    });
    return { name, help, type: 'counter', get, reset: () => this.series.clear() };
  }

  /** `name`: the duration histogram, cumulative buckets as Prometheus expects. */
  histogram(name: string, help: string): CustomMetric {
    const get = () => {
      const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
      for (const s of this.series.values()) {
        let cumulative = 0;
        this.buckets.forEach((le, i) => {
          cumulative += s.perBucket[i] as number;
          values.push({ metricName: `${name}_bucket`, labels: { le, ...s.labels }, value: cumulative });
        });
        values.push({ metricName: `${name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count });
        values.push({ metricName: `${name}_sum`, labels: s.labels, value: s.sum });
        values.push({ metricName: `${name}_count`, labels: s.labels, value: s.count });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    };
    return { name, help, type: 'histogram', get, reset: () => this.series.clear() };
  }
}
