'use strict';
// The grpc-js client of bench/ (bench/README.md): the twin of bench/P2PMesh.Bench, the same four
// workloads against an Echo server (tests/protos/p2pmesh/testing/v1/echo.proto), one JSON line out.
//
//   node bench/grpcjs-client.js --target http://127.0.0.1:PORT
//       --workload unary-latency|unary-concurrent|stream-64k|stream-1m [--seconds 5] [--warmup 1]
//
// @grpc/grpc-js and @grpc/proto-loader come from tests/interop/node_modules (`npm ci` there).
// One client object (one channel, one HTTP/2 connection) carries every call of a run.

const path = require('node:path');

const modules = path.join(__dirname, '../tests/interop/node_modules');
const grpc = require(path.join(modules, '@grpc/grpc-js'));
const protoLoader = require(path.join(modules, '@grpc/proto-loader'));

const CONCURRENCY = 64;
const BYTES_PER_STREAM_CALL = 32 * 1024 * 1024; // 512 × 64 KiB or 32 × 1 MiB
const SMALL_REQUEST = { message: 'bench' }; // the same as P2PMesh.Bench

function parseArgs(argv) {
  const settings = { target: null, workload: null, seconds: 5, warmup: 1 };
  for (let i = 0; i + 1 < argv.length; i += 2) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--target': settings.target = value; break;
      case '--workload': settings.workload = value; break;
      case '--seconds': settings.seconds = Number(value); break;
      case '--warmup': settings.warmup = Number(value); break;
      default: throw new Error(`Unknown option '${argv[i]}'.`);
    }
  }
  if (!settings.target) throw new Error('--target http://127.0.0.1:PORT is required.');
  if (!settings.workload) throw new Error('--workload is required.');
  return settings;
}

function createClient(target) {
  const definition = protoLoader.loadSync('p2pmesh/testing/v1/echo.proto', {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
    includeDirs: [path.join(__dirname, '../tests/protos'), path.join(__dirname, '../protos')],
  });
  const { Echo } = grpc.loadPackageDefinition(definition).p2pmesh.testing.v1;
  return new Echo(new URL(target).host, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
  });
}

const now = () => Number(process.hrtime.bigint()) / 1e9; // seconds
const cpuTime = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const round = (value, digits) => Number(value.toFixed(digits));

function unary(client) {
  return new Promise((resolve, reject) =>
    client.Unary(SMALL_REQUEST, (err, reply) => (err ? reject(err) : resolve(reply))),
  );
}

/** Sequential unary calls, one at a time: latency percentiles. */
async function unaryLatency(client, { seconds, warmup }) {
  const warmupEnd = now() + warmup;
  while (now() < warmupEnd) await unary(client);

  const samples = [];
  const cpu = cpuTime();
  const start = now();
  const end = start + seconds;
  while (now() < end) {
    const before = process.hrtime.bigint();
    await unary(client);
    samples.push(Number(process.hrtime.bigint() - before) / 1e3);
  }
  const elapsed = now() - start;
  samples.sort((a, b) => a - b);
  const percentile = (p) => samples[Math.min(Math.max(Math.ceil(p * samples.length) - 1, 0), samples.length - 1)];
  return {
    seconds: round(elapsed, 2),
    calls: samples.length,
    p50_us: round(percentile(0.5), 1),
    p99_us: round(percentile(0.99), 1),
    mean_us: round(samples.reduce((a, b) => a + b, 0) / samples.length, 1),
    cpu_s: round(cpuTime() - cpu, 2),
  };
}

/**
 * CONCURRENCY callers, each starting its next unary call when the last one ends; calls completing
 * inside the measured window are counted (no drain between warm-up and measure).
 */
async function unaryConcurrent(client, { seconds, warmup }) {
  const start = now() + warmup;
  const end = start + seconds;
  let cpu = null;
  const caller = async () => {
    let count = 0;
    for (;;) {
      await unary(client);
      const t = now();
      if (t >= end) return count;
      if (t >= start) {
        cpu ??= cpuTime();
        count++;
      }
    }
  };
  const counts = await Promise.all(Array.from({ length: CONCURRENCY }, caller));
  const calls = counts.reduce((a, b) => a + b, 0);
  return {
    seconds,
    concurrency: CONCURRENCY,
    calls,
    calls_per_s: round(calls / seconds, 0),
    cpu_s: round(cpuTime() - cpu, 2),
  };
}

/** One server-streaming call read to its end; checks every reply's size and index. */
function streamOnce(client, request) {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let messages = 0;
    let failed = false;
    const call = client.ServerStream(request);
    call.on('data', (reply) => {
      if (failed) return;
      if (reply.payload.length !== request.reply_size || reply.index !== messages) {
        failed = true;
        call.cancel();
        reject(new Error(`Reply ${messages}: index ${reply.index}, ${reply.payload.length} payload bytes.`));
        return;
      }
      bytes += reply.payload.length;
      messages++;
    });
    call.on('error', (err) => {
      if (!failed) reject(err);
      failed = true;
    });
    call.on('end', () => {
      if (failed) return;
      if (messages !== request.reply_count) reject(new Error(`Expected ${request.reply_count} replies, got ${messages}.`));
      else resolve({ bytes, messages });
    });
  });
}

/** Consecutive server-streaming calls of 32 MiB each: payload MiB/s received. */
async function serverStream(client, { seconds, warmup }, replySize) {
  const request = { message: 'bench', reply_size: replySize, reply_count: BYTES_PER_STREAM_CALL / replySize };
  const warmupEnd = now() + warmup;
  while (now() < warmupEnd) await streamOnce(client, request);

  let bytes = 0;
  let messages = 0;
  let calls = 0;
  const cpu = cpuTime();
  const start = now();
  const end = start + seconds;
  while (now() < end) {
    const result = await streamOnce(client, request);
    bytes += result.bytes;
    messages += result.messages;
    calls++;
  }
  const elapsed = now() - start;
  const mib = bytes / (1024 * 1024);
  return {
    seconds: round(elapsed, 2),
    calls,
    messages,
    mib: round(mib, 1),
    mib_per_s: round(mib / elapsed, 1),
    cpu_s: round(cpuTime() - cpu, 2),
  };
}

const WORKLOADS = {
  'unary-latency': unaryLatency,
  'unary-concurrent': unaryConcurrent,
  'stream-64k': (client, settings) => serverStream(client, settings, 64 * 1024),
  'stream-1m': (client, settings) => serverStream(client, settings, 1024 * 1024),
};

async function main() {
  const settings = parseArgs(process.argv.slice(2));
  const workload = WORKLOADS[settings.workload];
  if (!workload) throw new Error(`Unknown workload '${settings.workload}'.`);
  const client = createClient(settings.target);
  try {
    const result = await workload(client, settings);
    process.stdout.write(`${JSON.stringify({ client: 'grpc-js', workload: settings.workload, ...result })}\n`);
  } finally {
    client.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
