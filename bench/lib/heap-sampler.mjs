/**
 * Preload (`node --import bench/lib/heap-sampler.mjs …`) that records where a server allocates:
 * V8's sampling heap profiler, keeping samples of objects already collected (so short-lived
 * per-request garbage counts, which is what costs a busy server its cache misses), for a
 * window of its run. Writes a `.heapprofile` JSON that Chrome DevTools opens, or that
 * `bench/lib/heap-top.js` sums per function.
 *
 * env: HEAP_PROFILE_OUT  file to write (required)
 *      HEAP_PROFILE_START seconds after start-up to begin (default 4: after seeding and warm-up)
 *      HEAP_PROFILE_SECONDS length of the window (default 3)
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const out = process.env.HEAP_PROFILE_OUT;
if (!out) throw new Error('heap-sampler: set HEAP_PROFILE_OUT to the file to write');
const session = new Session();
session.connect();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));

setTimeout(async () => {
  await post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  setTimeout(async () => {
    const { profile } = await post('HeapProfiler.stopSampling');
    writeFileSync(out, JSON.stringify(profile));
  }, Number(process.env.HEAP_PROFILE_SECONDS ?? 3) * 1000).unref();
}, Number(process.env.HEAP_PROFILE_START ?? 4) * 1000).unref();
