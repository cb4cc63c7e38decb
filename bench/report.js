'use strict';
// Turns the runs of bench/run.sh into the markdown of bench/RESULTS.md (printed to stdout).
//
//   node bench/report.js RUNS_DIR
//
// RUNS_DIR holds, per run, ROUND.WORKLOAD.SERVER.CLIENT.{meta,out,err}: .meta is the JSON line
// run.sh wrote (round, server, client, workload, rc, server_cpu_s), .out the client's JSON line.
// Env: BENCH_COMMAND, BENCH_STARTED, BENCH_SETTINGS (from run.sh). Each cell is the median of its rounds.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execSync } = require('node:child_process');

const SLOWER_ALARM = 5; // flag a cell where grpc-dotnet (ours) is more than 5× slower than grpc-js

const METRICS = [
  { workload: 'unary-latency', key: 'p50_us', label: 'unary-latency p50', unit: 'µs', lowerIsBetter: true, digits: 1 },
  { workload: 'unary-latency', key: 'p99_us', label: 'unary-latency p99', unit: 'µs', lowerIsBetter: true, digits: 1 },
  { workload: 'unary-concurrent', key: 'calls_per_s', label: 'unary-concurrent (64 in flight)', unit: 'calls/s', digits: 0 },
  { workload: 'stream-64k', key: 'mib_per_s', label: 'stream-64k (64 KiB replies)', unit: 'MiB/s', digits: 1 },
  { workload: 'stream-1m', key: 'mib_per_s', label: 'stream-1m (1 MiB replies)', unit: 'MiB/s', digits: 1 },
];
const NAMES = { 'grpc-dotnet': 'grpc-dotnet', 'grpc-js': 'grpc-js' };

function loadRuns(dir) {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.meta'))
    .sort()
    .map((file) => {
      const base = path.join(dir, file.slice(0, -'.meta'.length));
      const run = JSON.parse(fs.readFileSync(`${base}.meta`, 'utf8'));
      const out = fs.readFileSync(`${base}.out`, 'utf8').trim().split('\n').pop();
      const err = fs.readFileSync(`${base}.err`, 'utf8').trim().split('\n').slice(-3).join(' ').slice(0, 400);
      if (run.rc !== 0) return { ...run, error: `exit code ${run.rc}: ${err || '(no stderr)'}` };
      try {
        return { ...run, result: JSON.parse(out) };
      } catch {
        return { ...run, error: `no JSON line on stdout (stderr: ${err || 'none'})` };
      }
    });
}

const runs = loadRuns(process.argv[2]);

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function cellRuns(client, server, workload) {
  return runs.filter((r) => r.client === client && r.server === server && r.workload === workload);
}

/** The median of the metric over the cell's successful rounds; null when every round failed. */
function value(client, server, metric) {
  return median(cellRuns(client, server, metric.workload).filter((r) => r.result).map((r) => r.result[metric.key]));
}

function formatNumber(x, digits) {
  if (x === null) return 'error';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "grpc-dotnet 1.52× faster" / "grpc-dotnet 1.30× slower", from the grpc-dotnet and grpc-js figures. */
function readsAs(metric, dotnet, grpcjs) {
  if (dotnet === null || grpcjs === null) return 'n/a';
  const speed = metric.lowerIsBetter ? grpcjs / dotnet : dotnet / grpcjs;
  if (speed >= 1) return `grpc-dotnet ${speed.toFixed(2)}× faster`;
  const slower = 1 / speed;
  return `grpc-dotnet ${slower.toFixed(2)}× slower${slower > SLOWER_ALARM ? ' ⚠' : ''}`;
}

function ratio(dotnet, grpcjs) {
  return dotnet === null || grpcjs === null ? 'n/a' : `${(dotnet / grpcjs).toFixed(2)}`;
}

/** One comparison: the grpc-dotnet side against the grpc-js side, the other party fixed. */
function comparison({ dotnet, grpcjs, heading }) {
  const lines = [
    `| workload | ${heading[0]} | ${heading[1]} | grpc-dotnet ÷ grpc-js | reads as |`,
    '|---|---:|---:|---:|---|',
  ];
  for (const metric of METRICS) {
    const a = value(dotnet.client, dotnet.server, metric);
    const b = value(grpcjs.client, grpcjs.server, metric);
    lines.push(
      `| ${metric.label} | ${formatNumber(a, metric.digits)} ${metric.unit} | ${formatNumber(b, metric.digits)} ${metric.unit} ` +
        `| ${ratio(a, b)} | ${readsAs(metric, a, b)} |`,
    );
  }
  return lines.join('\n');
}

/** (a), (b): both servers, the client fixed. */
const serversCompared = (key, client) => ({
  title: `(${key}) Servers compared, same client: ${NAMES[client]} client`,
  dotnet: { client, server: 'grpc-dotnet' },
  grpcjs: { client, server: 'grpc-js' },
  heading: ['grpc-dotnet server', 'grpc-js server'],
});

/** (c1), (c2): both clients, the server fixed. */
const clientsCompared = (key, server) => ({
  title: `(${key}) Clients compared, same server: ${NAMES[server]} server`,
  dotnet: { client: 'grpc-dotnet', server },
  grpcjs: { client: 'grpc-js', server },
  heading: ['grpc-dotnet client', 'grpc-js client'],
});

const COMPARISONS = [
  serversCompared('a', 'grpc-dotnet'),
  serversCompared('b', 'grpc-js'),
  clientsCompared('c1', 'grpc-dotnet'),
  clientsCompared('c2', 'grpc-js'),
];

function summary() {
  const lines = [
    '| workload | (a) grpc-dotnet server vs grpc-js server, grpc-dotnet client | (b) grpc-dotnet server vs grpc-js server, grpc-js client ' +
      '| (c1) grpc-dotnet client vs grpc-js client, grpc-dotnet server | (c2) grpc-dotnet client vs grpc-js client, grpc-js server |',
    '|---|---|---|---|---|',
  ];
  for (const metric of METRICS) {
    const cells = COMPARISONS.map((c) =>
      readsAs(metric, value(c.dotnet.client, c.dotnet.server, metric), value(c.grpcjs.client, c.grpcjs.server, metric)),
    );
    lines.push(`| ${metric.label} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Every cell: the per-round figures and CPU use, for checking the medians and spotting noise. */
function rawTable() {
  const lines = [
    '| client | server | workload | figure per round | calls per round | client CPU s (measured window) ' +
      '| server CPU s (whole run) | other processes\' CPU s (whole run) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const workload of new Set(METRICS.map((m) => m.workload))) {
    const metrics = METRICS.filter((m) => m.workload === workload);
    for (const server of ['grpc-dotnet', 'grpc-js']) {
      for (const client of ['grpc-dotnet', 'grpc-js']) {
        const cell = cellRuns(client, server, workload).sort((x, y) => x.round - y.round);
        const perRound = (f) => cell.map((r) => (r.result ? f(r.result) : 'error')).join(', ');
        const figures = metrics.map((m) => `${m.key}: ${perRound((r) => formatNumber(r[m.key], m.digits))}`).join('; ');
        lines.push(
          `| ${NAMES[client]} | ${NAMES[server]} | ${workload} | ${figures} | ${perRound((r) => r.calls)} ` +
            `| ${perRound((r) => r.cpu_s.toFixed(2))} | ${cell.map((r) => r.server_cpu_s.toFixed(2)).join(', ')} ` +
            `| ${cell.map((r) => r.other_cpu_s.toFixed(2)).join(', ')} |`,
        );
      }
    }
  }
  return lines.join('\n');
}

const sh = (command) => execSync(command, { encoding: 'utf8' }).trim();
const cores = Number(sh('nproc'));

function machine() {
  const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0]?.model;
  const grpcjs = require(path.join(__dirname, '../tests/interop/node_modules/@grpc/grpc-js/package.json')).version;
  return (
    `${cores} CPUs (nproc), ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Linux ${os.release()}; ` +
    `.NET SDK ${sh('dotnet --version')}, Node ${process.version}, @grpc/grpc-js ${grpcjs}; ${process.env.BENCH_STARTED || new Date().toISOString()}`
  );
}

const failures = runs.filter((r) => r.error);
const OTHER_ALARM = 0.5; // CPU seconds other processes may use during a run before it counts as disturbed
const disturbed = runs.filter((r) => r.other_cpu_s > OTHER_ALARM);
const settings = process.env.BENCH_SETTINGS || '';
const out = [
  '# Benchmark results',
  '',
  'Generated by `bench/run.sh` (see bench/README.md for what each workload does). Do not edit by hand.',
  '',
  `- **Machine:** ${machine()}`,
  `- **Command:** \`${process.env.BENCH_COMMAND || 'bench/run.sh'}\` (from the repository root: ${settings})`,
  '- **Servers:** grpc-dotnet = ours, Echo on grpc-dotnet hosted as the PServer and the Bootstrap host their services ' +
    '(`tests/interop/P2PMesh.Interop.Host`: ServiceDefaults\' `AddGrpcEndpoint`, Kestrel HTTP/2 plaintext, 4 MiB receive limit); ' +
    'grpc-js = `tests/interop/echo-server.js`.',
  '- **Clients:** grpc-dotnet = ours, `bench/P2PMesh.Bench` (the generated client over the channel of Core\'s `PeerChannelPool`, ' +
    'as a peer calls a peer); grpc-js = `bench/grpcjs-client.js`. One channel per run.',
  '',
  `**Client and server share the ${cores} cores of the same machine** (and talk over loopback), so every figure`,
  'includes the other side\'s CPU use and the absolute numbers mean little: read the ratios. Each figure is',
  'the median of the rounds; "grpc-dotnet ÷ grpc-js" divides the figures as they are (for latency lower is',
  'better, for throughput higher is better), "reads as" says which side is faster and by how much.',
  `A ⚠ marks a cell where grpc-dotnet is more than ${SLOWER_ALARM}× slower.`,
  '',
];
out.push(
  disturbed.length === 0
    ? `No run shared the CPUs with other work (other processes used at most ${OTHER_ALARM} CPU s during any run).`
    : `**${disturbed.length} of ${runs.length} runs shared the CPUs with other work** (other processes used more than ` +
        `${OTHER_ALARM} CPU s during the run, up to ${Math.max(...disturbed.map((r) => r.other_cpu_s)).toFixed(2)} s): ` +
        'their figures are low; see the last column of the last table, and trust medians over rounds that were not disturbed.',
  '',
);
if (failures.length > 0) {
  out.push(`**${failures.length} run(s) failed** (their cells use the rounds that passed, "error" when none did):`, '');
  for (const f of failures) out.push(`- round ${f.round}, ${f.workload}, ${f.client} client → ${f.server} server: ${f.error}`);
  out.push('');
}
out.push('## Summary', '', summary(), '');
for (const c of COMPARISONS) {
  out.push(`## ${c.title}`, '', comparison(c), '');
}
out.push('## Every cell, every round', '', rawTable(), '');
process.stdout.write(out.join('\n'));
