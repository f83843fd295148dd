/**
 * Counters and histograms kept with plain arithmetic and handed to prom-client only when
 * /metrics is scraped. prom-client's own Counter and Histogram validate and hash their label
 * object on every call — even through `labels()` children — which cost about 4 µs a request,
 * a fifth of a whole GET. Here an observation is one Map look-up and a few additions; the
 * exposition (names, labels, cumulative `le` buckets, `_sum`, `_count`) is exactly what
 * prom-client writes.
 */

type Labels = Record<string, string>;

interface Series {
  labels: Labels;
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

/** Observations by label values: rendered as a counter (how many) and/or a histogram (how much). */
export class MetricSeries {
  private readonly series = new Map<string, Series>();

  /** `buckets`: histogram upper bounds; none for a counter only. */
  constructor(
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[] = [],
  ) {}

  /** Count one observation of `value` (seconds, for a duration) under `labelValues`, in `labelNames` order. */
  observe(labelValues: readonly string[], value = 0): void {
    const s = this.at(labelValues);
    s.count++;
    s.sum += value;
    let i = 0;
    while (i < this.buckets.length && value > (this.buckets[i] as number)) i++;
    s.perBucket[i] = (s.perBucket[i] as number) + 1;
  }

  /** Make a series exist with count 0, so a scrape shows it before anything happened. */
  declare(labelValues: readonly string[]): void {
    this.at(labelValues);
  }

  /** `name`: how many observations, by label values. */
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

  /** `name`: the histogram, cumulative buckets as Prometheus expects. */
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

  private at(labelValues: readonly string[]): Series {
    const key = labelValues.length === 1 ? (labelValues[0] as string) : labelValues.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = labelValues[i] as string));
      s = { labels, count: 0, sum: 0, perBucket: new Array<number>(this.buckets.length + 1).fill(0) };
      this.series.set(key, s);
    }
    return s;
  }
}
