// BullMQ side of io.redwire.benchmarks.queue.QueueSideBySide: the same three measurements, the same way.
//   node bullmq-bench.mjs <redis port> <n> <latency samples>     (run from a directory with bullmq installed)
// Prints "result <key>=<value>" lines: enqueue, throughput1, throughput4, p50_1, p90_1, p99_1, p50_4, ...
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const port = Number(process.argv[2]);
const n = Number(process.argv[3] ?? 20000);
const samples = Number(process.argv[4] ?? 2000);
// BullMQ 6 under native ESM takes constructed ioredis clients: one for the queue, one per worker
const client = () => new IORedis({ host: '127.0.0.1', port, maxRetriesPerRequest: null });
const connection = client();
const jobOptions = { removeOnComplete: true, removeOnFail: true, attempts: 3, backoff: { type: 'exponential', delay: 100 } };
const queue = new Queue('bench', { connection, defaultJobOptions: jobOptions });
await queue.waitUntilReady();
const now = () => process.hrtime.bigint();
const perSecond = (count, nanos) => Math.round(count / (Number(nanos) / 1e9));

async function drain(count) {
  let done = 0;
  let resolve;
  const finished = new Promise((r) => { resolve = r; });
  const w = new Worker('bench', async () => { if (++done === count) resolve(); }, { connection: client(), concurrency: 4 });
  await finished;
  await w.close();
}

// warm-up of the producer path, drained
for (let i = 0; i < 1000; i++) await queue.add('noop', { at: '0' });
await drain(1000);

let start = now();
for (let i = 0; i < n; i++) await queue.add('noop', { at: '0' });
console.log(`result enqueue=${perSecond(n, now() - start)}`);
await drain(n);

for (const threads of [1, 4]) {
  for (let i = 0; i < n; i++) await queue.add('noop', { at: '0' });
  let done = 0;
  let resolve;
  const finished = new Promise((r) => { resolve = r; });
  const t0 = now();
  const w = new Worker('bench', async () => { if (++done === n) resolve(); }, { connection: client(), concurrency: threads });
  await finished;
  console.log(`result throughput${threads}=${perSecond(n, now() - t0)}`);
  await w.close();
}

for (const threads of [1, 4]) {
  let waiting = null;
  const w = new Worker('bench', async (job) => {
    const latency = now() - BigInt(job.data.at);
    if (waiting) { const r = waiting; waiting = null; r(latency); }
  }, { connection: client(), concurrency: threads });
  await w.waitUntilReady();
  const latency = [];
  for (let i = -200; i < samples; i++) {
    const started = new Promise((r) => { waiting = r; });
    await queue.add('noop', { at: now().toString() });
    const l = await started;
    if (i >= 0) latency.push(l);
  }
  await w.close();
  latency.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const us = (i) => (latency[i] / 1000n).toString();
  console.log(`result p50_${threads}=${us(Math.floor(samples / 2))}`);
  console.log(`result p90_${threads}=${us(Math.floor(samples * 9 / 10))}`);
  console.log(`result p99_${threads}=${us(Math.floor(samples * 99 / 100))}`);
}
await queue.close();
await connection.quit();
process.exit(0); // the workers' own ioredis clients would keep the event loop alive
