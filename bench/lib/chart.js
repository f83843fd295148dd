/**
 * bench/results.png: req/s of every peer as a ratio of the node:http ceiling, one panel per
 * scale. Drawn as plain SVG in HTML (no chart library, no network) and photographed by
 * headless Chromium (the Debian `chromium` package) through playwright-core.
 */
import { existsSync } from 'node:fs';
import { OP_LABELS } from './config.js';
import { baselineRun } from './report.js';

export const CHROMIUM = '/usr/bin/chromium';
const COLORS = {
  handwritten: '#6b7280',
  'json-server-0.17': '#d97706',
  'json-server-1': '#f59e0b',
  'idem-sqlite': '#2563eb',
  'idem-postgres': '#7c3aed',
  'idem-postgres-x2': '#c4b5fd',
};

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * One panel: a row group per operation, a bar per peer, each bar the peer's req/s divided by
 * the baseline's req/s for the same operation (or its nearest plain one, see report.js).
 * A run with more than 1% non-2xx answers is marked "!", since its speed is not all success.
 * @param {any} results
 * @param {string} scale
 * @param {'ceiling' | 'handwritten'} baseline
 */
function panel(results, scale, baseline) {
  const s = results.scales[scale];
  const peers = Object.keys(s.runs).filter((p) => p !== 'ceiling' && p !== baseline);
  // A replay has no hand-written counterpart worth a bar (the hand-written server would create again).
  const ops = results.config.ops.filter(
    (op) => !(baseline === 'handwritten' && op === 'replay') && peers.some((p) => s.runs[p][op] && !s.runs[p][op].error),
  );
  const bar = 13;
  const gap = 9;
  const left = 168;
  const width = 200;
  // Bars longer than this are clipped (the label still gives the value), so one outlier does not flatten the rest.
  const clip = 3;
  const value = (p, op) => {
    const r = s.runs[p][op];
    const b = baselineRun(s.runs[baseline], op);
    return r && b && !r.error && !b.error && b.rps > 0 ? r.rps / b.rps : null;
  };
  let max = 1;
  for (const op of ops) for (const p of peers) max = Math.max(max, Math.min(clip, value(p, op) ?? 0));
  const scaleX = (v) => (Math.min(v, clip) / max) * width;
  const rows = [];
  let y = 30;
  for (const op of ops) {
    rows.push(`<text x="${left - 6}" y="${y + (peers.length * bar) / 2 + 4}" text-anchor="end" class="op">${esc(OP_LABELS[op])}</text>`);
    for (const p of peers) {
      const v = value(p, op);
      const r = s.runs[p][op];
      if (v !== null) {
        const warn = (r.non2xx > 0.01 * (r.total || 1) ? ' !' : '') + (v > clip ? ' »' : '');
        rows.push(`<rect x="${left}" y="${y}" width="${Math.max(1, scaleX(v))}" height="${bar - 2}" fill="${COLORS[p] ?? '#999'}"/>`);
        rows.push(`<text x="${left + scaleX(v) + 3}" y="${y + bar - 3}" class="val">${v.toFixed(2)}x${warn}</text>`);
      } else {
        const why = !results.peers[p].ops.includes(op) ? 'n/a' : s.runs[p][op]?.error ? 'error' : s.runs[baseline] ? 'no baseline' : '';
        rows.push(`<text x="${left + 3}" y="${y + bar - 3}" class="na">${why}</text>`);
      }
      y += bar;
    }
    y += gap;
  }
  const oneX = left + scaleX(1);
  const height = y + 10;
  const name = baseline === 'ceiling' ? 'node:http ceiling' : 'hand-written';
  return `<svg width="${left + width + 70}" height="${height}" xmlns="http://www.w3.org/2000/svg">
  <text x="0" y="16" class="title">${Number(scale).toLocaleString('en-US')} resources: req/s ÷ ${esc(name)}</text>
  ${rows.join('\n  ')}
  <line x1="${oneX}" y1="24" x2="${oneX}" y2="${height - 6}" stroke="#111" stroke-dasharray="4 3"/>
  <text x="${oneX + 3}" y="${height - 2}" class="val">1x</text>
</svg>`;
}

/**
 * The full page: legend and one panel per scale.
 * @param {any} results
 */
export function chartHtml(results) {
  const peers = Object.keys(results.peers).filter((p) => p !== 'ceiling' && !results.peers[p].unavailable);
  const legend = peers
    .map((p) => `<span><i style="background:${COLORS[p] ?? '#999'}"></i>${esc(results.peers[p].label)}</span>`)
    .join(' ');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  body { font: 13px system-ui, sans-serif; margin: 16px; background: #fff; color: #111; width: 900px; }
  .title { font-weight: 600; font-size: 14px; } .op { font-size: 12px; } .val { font-size: 11px; fill: #333; } .na { font-size: 11px; fill: #999; }
  .legend span { margin-right: 14px; white-space: nowrap; } .legend i { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; }
  .meta { color: #555; margin: 4px 0 12px; } .row { display: flex; gap: 12px; margin-bottom: 10px; }
</style></head><body>
<div class="legend">${legend}</div>
<div class="meta">${esc(results.startedAt.slice(0, 10))} · ${esc(results.machine.summary)} · ${results.config.connections} connections, ${results.config.duration} s runs</div>
${Object.keys(results.scales)
  .map((s) => `<div class="row">${panel(results, s, 'ceiling')}${results.scales[s].runs.handwritten ? panel(results, s, 'handwritten') : ''}</div>`)
  .join('\n')}
<div class="meta">"!" = more than 1% of the answers were not 2xx (see results.md); "»" = bar clipped at 3x. Replay is compared with POST.</div>
</body></html>`;
}

/**
 * Render the chart to `pngPath`. Returns null on success, or why it could not.
 * @param {any} results
 * @param {string} pngPath
 */
export async function renderChart(results, pngPath) {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found: install it with \`apt-get install -y chromium\` (as root)`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 600 }, deviceScaleFactor: 2 });
    await page.setContent(chartHtml(results));
    await page.screenshot({ path: pngPath, fullPage: true });
    return null;
  } finally {
    await browser.close();
  }
}
