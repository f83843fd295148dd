/**
 * bench/results.md from the results object: the tables people read, and the only source of
 * the numbers quoted in the README.
 */
import { OP_LABELS } from './config.js';
import { cpuMicrosPerRequest } from './cpu.js';
import { evaluateTargets, NO_ISSUE, writeGrowth } from './targets.js';

/**
 * The peer run an operation is compared with when that peer lacks the operation itself:
 * the ceiling has no ETags or keys, so a conditional PUT is compared with its PUT and a keyed
 * POST or a replay with its POST.
 */
export const FALLBACK_OP = { get: 'get', replay: 'post', put: 'put', 'cond-put': 'put', patch: 'patch', post: 'post', 'post-idem': 'post', 'post-idem-v4': 'post' };

/** The baseline run for `op` on a peer: the same op, else its fallback. */
export function baselineRun(runs, op) {
  if (!runs) return undefined;
  return runs[op] ?? runs[FALLBACK_OP[op]];
}

const num = (n, d = 0) => (typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—');
const x = (a, b) => (a && b && !a.error && !b.error && b.rps > 0 ? `${(a.rps / b.rps).toFixed(2)}x` : '—');
const pct = (share) => (typeof share === 'number' ? `${Math.round(share * 100)}%` : '—');
const mb = (bytes) => (bytes ? `${(bytes / 2 ** 20).toFixed(0)} MB` : '—');

/**
 * One scale's main table, optionally for some peers only.
 * @param {any} results
 * @param {string} scale
 * @param {(peer: string) => boolean} [only]
 */
export function scaleTable(results, scale, only = () => true) {
  const s = results.scales[scale];
  const lines = [
    '| Operation | Peer | req/s | p50 ms | p99 ms | × ceiling | × hand-written | server CPU µs/req | non-2xx / errors | other CPU |',
    '|---|---|--:|--:|--:|--:|--:|--:|---|--:|',
  ];
  const cores = results.machine?.cores;
  for (const op of results.config.ops) {
    for (const peer of Object.keys(s.runs).filter(only)) {
      const r = s.runs[peer][op];
      const label = results.peers[peer]?.label ?? peer;
      if (!r) continue;
      if (r.error) {
        lines.push(`| ${OP_LABELS[op]} | ${label} | error | | | | | | ${r.error.replace(/\|/g, '/').replace(/\n/g, ' ').slice(0, 160)} | |`);
        continue;
      }
      const ceil = baselineRun(s.runs.ceiling, op);
      // A replay has no hand-written counterpart: that server would simply create again.
      const hw = op === 'replay' ? undefined : baselineRun(s.runs.handwritten, op);
      const bad = [
        r.non2xx ? `${r.non2xx} non-2xx ${JSON.stringify(r.statusCodes)}` : '',
        r.errors ? `${r.errors} socket errors` : '',
        r.timeouts ? `${r.timeouts} timeouts` : '',
        r.note ?? '',
      ].filter(Boolean).join('; ');
      lines.push(
        `| ${OP_LABELS[op]} | ${label} | ${num(r.rps)} | ${num(r.p50, 1)} | ${num(r.p99, 1)} | ${peer === 'ceiling' ? '1.00x' : x(r, ceil)} | ${peer === 'handwritten' ? '1.00x' : x(r, hw)} | ${num(cpuMicrosPerRequest(r, cores), 1)} | ${bad || '0'} | ${pct(r.cpu?.other)} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * The targets table (also quoted in the README).
 * @param {any} results
 */
export function targetsTable(results) {
  const rows = evaluateTargets(results);
  if (rows.length === 0) return '_No idem peer ran, so no target could be evaluated._';
  const lines = [
    `"Issue" names the issue that sets the target. ${NO_ISSUE} marks a row held to the same number that no issue sets: the PostgreSQL peers (issue 5 set them none), and the p99 of every operation (issue 2 asks it of GET, PUT and POST; issue 3 sets no latency target).`,
    '',
    '| Issue | Target | Peer | Scale | Measured | Needed | Result |',
    '|---|---|---|---|--:|---|---|',
  ];
  for (const r of rows) {
    const mark = r.status === 'PASS' ? '**PASS**' : r.status === 'MISS' ? '**MISS**' : 'no data';
    lines.push(`| ${r.issue} | ${r.target} | ${results.peers[r.peer]?.label ?? r.peer} | ${r.scale} | ${r.measured} | ${r.needed} | ${mark} |`);
  }
  return lines.join('\n');
}

/**
 * Where the servers and the load generator ran (lib/affinity.js).
 * @param {any} pin  cfg.pin; absent in results written before pinning existed
 */
function pinningNote(pin) {
  if (pin?.server) {
    return `Servers that are one process ran on core(s) ${pin.server} and their load generator on core ${pin.loader} (taskset); the PostgreSQL peers, several processes each, ran unpinned beside their load generator.`;
  }
  return `Nothing was pinned${pin?.off ? ` (${pin.off})` : ''}: the load generator shared the server's cores.`;
}

/**
 * The whole results.md.
 * @param {any} results
 * @param {string} [image]  the chart's file name, relative to the markdown file
 */
export function renderMarkdown(results, image = 'results.png') {
  const cfg = results.config;
  const scales = Object.keys(results.scales);
  const out = [];
  out.push('# idem bench results', '');
  out.push(`Run ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${results.machine.summary}.`);
  out.push(
    `Load: autocannon in a separate process, ${cfg.connections} connections, ${cfg.duration} s of measured load per peer and operation` +
      ((cfg.rounds ?? 1) > 1 ? ` in ${cfg.rounds} rounds of ${cfg.duration / cfg.rounds} s (peer order reversed every other round; req/s is their mean, p50/p99 those of all rounds' responses pooled)` : '') +
      `, after ${cfg.warmup} s warm-up${(cfg.rounds ?? 1) > 1 && cfg.rewarm !== undefined ? ` (${cfg.rewarm} s before each later round)` : ''}; ` +
      'peers measured one at a time, operation by operation (GET with replay and POST with keyed POST in the same alternating rounds). ' +
      pinningNote(cfg.pin) +
      (cfg.quick ? ' **Quick mode (development numbers, not for quoting).**' : ''),
  );
  out.push('', ...backgroundNote(results).flatMap((l) => [l, '']));
  out.push('Regenerate with `npm run bench` (settings in bench/README.md). Raw numbers: bench/results/latest.json.', '');
  out.push(`![req/s as a ratio of the node:http ceiling and of the hand-written server](${image})`, '');

  out.push('## Targets (issues 2 and 3)', '', targetsTable(results), '');

  for (const scale of scales) {
    out.push(`## ${Number(scale).toLocaleString('en-US')} stored resources`, '', scaleTable(results, scale), '');
    const s = results.scales[scale];
    for (const [peer, e] of Object.entries(s.errors)) out.push(`- ${results.peers[peer]?.label ?? peer} did not start: ${e.replace(/\n/g, ' ')}`);
    for (const [peer, n] of Object.entries(s.notes)) out.push(`- ${results.peers[peer]?.label ?? peer}: ${n}`);
    out.push('');
  }
  out.push(...instancesComparison(results));

  const growth = writeGrowth(results);
  if (growth.length > 0) {
    out.push(`## How cost grows from ${scales[0]} to ${scales[scales.length - 1]} resources`, '');
    out.push('req/s at the large scale divided by req/s at the small one (1.00x = no slowdown). The rows of the scales\' own runs compare runs minutes apart; the "alternating rounds" rows, two instances seeded with the two scales and measured in turns, order reversed every round (lib/growth.js), are the ones the growth target reads.', '');
    out.push('| Peer | Operation | req/s small | req/s large | ratio |', '|---|---|--:|--:|--:|');
    for (const g of growth) {
      out.push(`| ${results.peers[g.peer]?.label ?? g.peer} | ${g.op === 'put-alternating' ? 'PUT replace, the two scales in alternating rounds (lib/growth.js)' : OP_LABELS[g.op]} | ${num(g.low)} | ${num(g.high)} | ${g.ratio === null ? '—' : `${g.ratio.toFixed(2)}x`} |`);
    }
    out.push('');
  }

  out.push('## Peak memory of each server (VmHWM)', '');
  out.push(`| Peer | ${scales.map((s) => `${s} resources`).join(' | ')} |`, `|---|${scales.map(() => '--:').join('|')}|`);
  for (const peer of Object.keys(results.peers)) {
    if (results.peers[peer].unavailable) continue;
    const cell = (s) => {
      const d = results.scales[s].rssDetail?.[peer];
      const sum = mb(results.scales[s].rss[peer]);
      return d ? `${sum} (${d.instances.map(mb).join(' + ')}; balancer ${mb(d.balancer)})` : sum;
    };
    out.push(`| ${results.peers[peer].label} | ${scales.map(cell).join(' | ')} |`);
  }
  out.push(
    '',
    'idem (PostgreSQL) counts the Node process only, not the PostgreSQL server processes.' +
      (ran(results, X2)
        ? ' idem (PostgreSQL, 2 instances) is the sum of both instances\' VmHWM (each process\'s own peak, so an upper bound of their joint peak), ' +
          'each in brackets; the bench\'s TCP balancer is shown apart and not added.'
        : ''),
    '',
  );

  out.push(...correctnessSection(results));
  out.push(...proxySection(results));

  out.push('## Peers', '');
  for (const p of Object.values(results.peers)) {
    const na = cfg.ops.filter((op) => !p.ops.includes(op)).map((op) => OP_LABELS[op]);
    out.push(
      `- **${p.label}** (${p.version}): ${p.description}.` +
        (p.unavailable ? ` **Not run: ${p.unavailable}**` : '') +
        (na.length > 0 && !p.unavailable ? ` Not measured (it has no such feature): ${na.join(', ')}.` : ''),
    );
  }
  out.push('');
  out.push(
    'Ratios for operations a baseline lacks compare with its nearest plain operation: PUT If-Match with its PUT, ' +
      'POST + Idempotency-Key with its POST, and the replay with the ceiling\'s POST (not with the hand-written server, which would create again). json-server PATCH bodies are sent as application/json ' +
      '(0.17 ignores application/merge-patch+json bodies).',
    '',
  );
  return out.join('\n');
}

/** The multi-instance peer and the single-instance peer it is compared with. */
const X2 = 'idem-postgres-x2';
const X1 = 'idem-postgres';

/** Whether `peer` was selected and could run. */
const ran = (results, peer) => Boolean(results.peers[peer] && !results.peers[peer].unavailable);

/**
 * One line per scale: req/s of idem-postgres-x2 divided by idem-postgres, per operation, and
 * what that ratio can and cannot say on this machine. Empty when either peer did not run.
 * @param {any} results
 * @returns {string[]} markdown lines
 */
export function instancesComparison(results) {
  const lines = [];
  for (const scale of Object.keys(results.scales)) {
    const one = results.scales[scale].runs[X1];
    const two = results.scales[scale].runs[X2];
    if (!one || !two) continue;
    const ops = results.config.ops.filter((op) => one[op] || two[op]);
    const parts = ops.map((op) => `${OP_LABELS[op]} ${x(two[op], one[op])}`);
    // What the bench's own plumbing cost: the balancer's share of both cores in each run.
    const lb = ops.filter((op) => typeof two[op]?.cpu?.parts?.balancer === 'number').map((op) => `${OP_LABELS[op]} ${pct(two[op].cpu.parts.balancer)}`);
    lines.push(
      `**2 instances ÷ 1 instance** (idem on PostgreSQL, req/s at ${Number(scale).toLocaleString('en-US')} resources): ${parts.join(' · ')}` +
        (lb.length > 0 ? `. The balancer itself used ${lb.join(' · ')} of both cores (counted in the 2-instance server's CPU, not in "other CPU").` : ''),
      '',
    );
  }
  if (lines.length === 0) return [];
  const cores = results.machine?.cores ?? '?';
  lines.push(
    `On this ${cores}-core machine both idem instances, the bench's balancer, PostgreSQL and the load generator share the same ${cores} cores, ` +
      'so this ratio measures the overhead of coordinating two instances through one database (plus one TCP hop through the balancer), ' +
      'not scaling: 1.00x means a second instance costs nothing, below 1.00x is what it costs. More throughput from a second instance needs cores (or machines) of its own.',
    '',
  );
  return lines;
}

/**
 * How much CPU other processes took during the measured runs ("other CPU" column): the
 * reader's measure of how far to trust a ratio.
 * @param {any} results
 */
export function backgroundNote(results) {
  const shares = [];
  for (const s of Object.values(results.scales)) {
    for (const runs of Object.values(s.runs)) for (const r of Object.values(runs)) if (typeof r?.cpu?.other === 'number') shares.push(r.cpu.other);
  }
  if (shares.length === 0) return [];
  shares.sort((a, b) => a - b);
  const median = shares[Math.floor(shares.length / 2)];
  const max = shares[shares.length - 1];
  const lines = [
    `"Other CPU" is the share of both cores used during a run by processes other than the server under test ` +
      `(with its PostgreSQL${ran(results, X2) ? '; for the 2-instance peer both instances and the balancer' : ''}) and the load generator: median ${pct(median)}, max ${pct(max)} in this run.`,
  ];
  if (max > 0.1) lines.push('**Runs with other CPU above 10% were measured on a busy machine: compare their ratios with care.**');
  return lines;
}

/** @param {any} results */
function correctnessSection(results) {
  const checks = Object.entries(results.checks ?? {});
  if (checks.length === 0) return [];
  const out = ['## Correctness under load', ''];
  out.push(
    `A fresh instance per peer with 1000 customers, ${results.config.checkDuration} s of concurrent POST/PUT/PATCH from ${results.config.connections} connections ` +
      '(every response awaited), every acknowledged id read back, then the server stopped and its store audited: ' +
      'stored count must equal 1000 + 2xx POSTs.',
    '',
  );
  out.push('| Peer | 2xx POSTs | stored (expected) | acknowledged ids missing | 2xx PUT/PATCH | non-2xx | store check | result |', '|---|--:|--:|--:|--:|---|---|---|');
  for (const [peer, c] of checks) {
    const label = results.peers[peer]?.label ?? peer;
    if (c.error) {
      out.push(`| ${label} | | | | | | ${c.error.replace(/\|/g, '/').replace(/\n/g, ' ')} | **FAIL** |`);
      continue;
    }
    const non2xx = c.postFailed + c.writeFailed;
    out.push(
      `| ${label} | ${num(c.postOk)} | ${c.store?.count ?? '—'} (${c.expected}) | ${c.missing} | ${num(c.writeOk)} | ${non2xx ? JSON.stringify(c.statuses) : '0'}${c.errors ? `, ${c.errors} socket errors` : ''} | ${c.store?.how ?? '—'} | ${c.pass ? '**PASS**' : '**FAIL**'} |`,
    );
  }
  out.push('');
  return out;
}

/** @param {any} results */
function proxySection(results) {
  const p = results.proxy;
  if (!p) return [];
  const out = ['## Proxy overhead (issue 10)', ''];
  if (p.skipped) return [...out, `Not measured: ${p.skipped}`, ''];
  out.push(`${p.command ?? '`idem proxy`'} with a SQLite key store in front of ${p.upstream}, against the same json-server directly. Peak proxy RSS ${mb(p.proxyRss)}.`, '');
  out.push('| Operation | direct req/s | via proxy req/s | ratio | direct p99 ms | proxy p99 ms | added p99 ms | proxy non-2xx | other CPU (direct / proxy) |', '|---|--:|--:|--:|--:|--:|--:|---|---|');
  for (const r of p.rows) {
    const v = r.proxied;
    out.push(
      `| ${r.label} | ${num(r.direct.rps)} | ${v.error ? `error: ${v.error.slice(0, 80)}` : num(v.rps)} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}x`} | ${num(r.direct.p99, 1)} | ${num(v.p99, 1)} | ${r.addedP99 === null ? '—' : num(r.addedP99, 1)} | ${v.non2xx ? JSON.stringify(v.statusCodes) : '0'} | ${pct(r.direct.cpu?.other)} / ${pct(v.cpu?.other)} |`,
    );
  }
  out.push('');
  return out;
}
