/**
 * Write a run's outputs. A full run publishes: bench/results.md, bench/results.png and the
 * results section of bench/README.md. A quick run (BENCH_QUICK=1) writes the same files under
 * the git-ignored bench/results/ instead, so development numbers never replace quoted ones
 * (BENCH_PUBLISH=1 publishes anyway).
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { backgroundNote, instancesComparison, renderMarkdown, scaleTable, targetsTable } from './report.js';
import { renderChart } from './chart.js';

const START = '<!-- bench-results:start -->';
const END = '<!-- bench-results:end -->';

/**
 * The README's results section: date, machine, settings, the targets and a pointer to the rest.
 * @param {any} results
 */
function readmeSection(results) {
  const c = results.config;
  return [
    START,
    `Latest run: **${results.startedAt.slice(0, 10)}** on ${results.machine.summary}; ` +
      `${c.connections} connections, ${c.duration} s per peer and operation${(c.rounds ?? 1) > 1 ? ` in ${c.rounds} rounds` : ''} (${c.warmup} s warm-up${(c.rounds ?? 1) > 1 && c.rewarm !== undefined ? `, ${c.rewarm} s before each later round` : ' each'}), scales ${Object.keys(results.scales).join(' and ')} resources.` +
      (c.quick ? ' **Quick mode: development numbers.**' : ''),
    '',
    ...backgroundNote(results).flatMap((l) => [l, '']),
    targetsTable(results),
    '',
    ...Object.keys(results.scales).flatMap((scale) => [
      `idem at ${Number(scale).toLocaleString('en-US')} stored resources:`,
      '',
      scaleTable(results, scale, (peer) => peer.startsWith('idem')),
      '',
    ]),
    ...instancesComparison(results),
    'All numbers, the correctness check and the proxy overhead: [results.md](results.md). Chart: [results.png](results.png).',
    END,
  ].join('\n');
}

/**
 * @param {string} root
 * @param {any} results
 * @param {any} cfg
 * @param {(l: string) => void} log
 * @returns {Promise<string[]>} the files written
 */
export async function writeOutputs(root, results, cfg, log) {
  const publish = !cfg.quick || process.env.BENCH_PUBLISH === '1';
  const rawDir = join(root, 'bench/results');
  mkdirSync(rawDir, { recursive: true });
  const written = [];
  const jsonPath = join(rawDir, publish ? 'latest.json' : 'quick.json');
  writeFileSync(jsonPath, JSON.stringify(results, null, 2));
  written.push(jsonPath);

  const mdPath = publish ? join(root, 'bench/results.md') : join(rawDir, 'quick.md');
  writeFileSync(mdPath, `${renderMarkdown(results, publish ? 'results.png' : 'quick.png')}\n`);
  written.push(mdPath);

  if (cfg.chart) {
    const pngPath = publish ? join(root, 'bench/results.png') : join(rawDir, 'quick.png');
    try {
      const why = await renderChart(results, pngPath);
      if (why) log(`chart skipped: ${why}`);
      else written.push(pngPath);
    } catch (err) {
      log(`chart failed: ${String(err?.message ?? err).slice(0, 300)}`);
    }
  }

  const readme = join(root, 'bench/README.md');
  if (publish && existsSync(readme)) {
    const text = readFileSync(readme, 'utf8');
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    if (a >= 0 && b > a) {
      writeFileSync(readme, `${text.slice(0, a)}${readmeSection(results)}${text.slice(b + END.length)}`);
      written.push(readme);
    } else {
      log(`bench/README.md has no ${START} … ${END} markers; results section not updated`);
    }
  }
  return written;
}
