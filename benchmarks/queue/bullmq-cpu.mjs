// BullMQ side of io.redwire.benchmarks.queue.QueueCpu: CPU per no-op job (node and redis-server) while a
// worker drains a backlog, the same way.
//   node bullmq-cpu.mjs <redis port> [n, 20000] [rounds, 4] [concurrency, 4]   (from a directory with bullmq installed)
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import fs from 'fs';

const port = Number(process.argv[2]);
const n = Number(process.argv[3] ?? 20000);
const rounds = Number(process.argv[4] ?? 4);
const threads = Number(process.argv[5] ?? 4);
const client = () => new IORedis({ host: '127.0.0.1', port, maxRetriesPerRequest: null });
const connection = client();
const jobOptions = { removeOnComplete: true, removeOnFail: true, attempts: 3, backoff: { type: 'exponential', delay: 100 } };
const queue = new Queue('bench', { connection, defaultJobOptions: jobOptions });
await queue.waitUntilReady();
const redisPid = Number(/process_id:(\d+)/.exec(await connection.info('server'))[1]);
const redisCpu = () => { // microseconds (clock ticks of 10 ms)
  const f = fs.readFileSync(`/proc/${redisPid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10000;
};
for (let round = 1; round <= rounds; round++) {
  for (let i = 0; i < n; i++) await queue.add('noop', { at: '0' });
  let done = 0;
  let resolve;
  const finished = new Promise((r) => { resolve = r; });
  const cpu0 = process.cpuUsage();
  const redis0 = redisCpu();
  const t0 = process.hrtime.bigint();
  const w = new Worker('bench', async () => { if (++done === n) resolve(); }, { connection: client(), concurrency: threads });
  await finished;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const node = (cpu.user + cpu.system) / n;
  const redis = (redisCpu() - redis0) / n;
  console.log(`round ${round}: ${Math.round(n / seconds)} jobs/s; CPU per job: node ${node.toFixed(1)} us, redis-server ${redis.toFixed(1)} us, together ${(node + redis).toFixed(1)} us`);
  await w.close();
}
await queue.close();
await connection.quit();
process.exit(0);
