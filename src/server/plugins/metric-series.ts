/**
 * Counters and histograms kept with plain arithmetic and handed to prom-client only when
 * /metrics is scraped. prom-client's own Counter and Histogram validate and hash their label
 * object on every call — even through `labels()` children — which cost about 4 µs a request,
 * a fifth of a whole GET. Here an observation is one Map look-up and a few additions; the
 * exposition (names, labels, cumulative `le` buckets, `_sum`, `_count`) is exactly what
 * prom-client writes.
 */

type Labels = Record<string, string>;

/** Nested look-up by label value; its leaves are series. */
type SeriesTree = Map<string, SeriesTree> | Series;

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
  /** Every series, in the order first seen (the exposition order). */
  private series: Series[] = [];
  /** Label value → … → series; the series itself when there are no labels. */
  private tree: SeriesTree;

  /** `buckets`: histogram upper bounds; none for a counter only. */
  constructor(
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[] = [],
  ) {
    this.tree = this.emptyTree();
  }

  /** Count one observation of `value` (seconds, for a duration) under `labelValues`, in `labelNames` order. */
  observe(labelValues: readonly string[], value = 0): void {
    const s = this.at(labelValues);
    s.count++;
    s.sum += value;
    let i = 0;
    while (i < this.buckets.length && value > (this.buckets[i] as number)) i++;
    s.perBucket[i] = (s.perBucket[i] as number) + 1;
  }

  /** Forget every series (prom-client's `resetMetrics`). */
  reset(): void {
    this.series = [];
    this.tree = this.emptyTree();
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
      values: this.series.map((s) => ({ labels: s.labels, value: s.count })),
    });
    return { name, help, type: 'counter', get, reset: () => this.reset() };
  }

  /** `name`: the histogram, cumulative buckets as Prometheus expects. */
  histogram(name: string, help: string): CustomMetric {
    const get = () => {
      const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
      for (const s of this.series) {
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
    return { name, help, type: 'histogram', get, reset: () => this.reset() };
  }

  /**
   * The series of these label values, found through one Map per label: the values are the
   * same few strings every time (interned method names, label constants), so each look-up hits
   * a cached hash, where a joined key would be a fresh string to build and hash per request.
   */
  private at(labelValues: readonly string[]): Series {
    let node: SeriesTree = this.tree;
    for (let i = 0; i < this.labelNames.length; i++) {
      const value = labelValues[i] as string;
      let next = (node as Map<string, SeriesTree>).get(value);
      if (next === undefined) {
        next = i === this.labelNames.length - 1 ? this.newSeries(labelValues) : new Map<string, SeriesTree>();
        (node as Map<string, SeriesTree>).set(value, next);
      }
      node = next;
    }
    return node as Series;
  }

  private emptyTree(): SeriesTree {
    return this.labelNames.length === 0 ? this.newSeries([]) : new Map<string, SeriesTree>();
  }

  private newSeries(labelValues: readonly string[]): Series {
    const labels: Labels = {};
    this.labelNames.forEach((name, i) => (labels[name] = labelValues[i] as string));
    const s: Series = { labels, count: 0, sum: 0, perBucket: new Array<number>(this.buckets.length + 1).fill(0) };
    this.series.push(s);
    return s;
  }
}
