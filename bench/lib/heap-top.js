/**
 * The functions that allocated most in a sampling heap profile (bench/lib/heap-sampler.mjs),
 * as a share of all sampled bytes and, given how many requests the window served, bytes per
 * request.
 *
 * usage: node bench/lib/heap-top.js PROFILE [REQUESTS] [ROWS]
 */
import { readFileSync } from 'node:fs';

const [file, requests = '0', rows = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/lib/heap-top.js PROFILE [REQUESTS] [ROWS]');
const profile = JSON.parse(readFileSync(file, 'utf8'));
const bytes = new Map();
let total = 0;
const stack = [profile.head];
while (stack.length > 0) {
  const node = stack.pop();
  const { functionName, url, lineNumber } = node.callFrame;
  const name = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  bytes.set(name, (bytes.get(name) ?? 0) + node.selfSize);
  total += node.selfSize;
  stack.push(...node.children);
}
const perRequest = (n) => (Number(requests) > 0 ? `${(n / Number(requests)).toFixed(0).padStart(6)} B/req  ` : '');
for (const [name, n] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
  console.log(`${((n / total) * 100).toFixed(1).padStart(5)}%  ${perRequest(n)}${name}`);
}
console.log(`total sampled: ${(total / 1e6).toFixed(1)} MB${Number(requests) > 0 ? `, ${perRequest(total).trim()}` : ''}`);
