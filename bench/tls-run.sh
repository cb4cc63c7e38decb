#!/usr/bin/env bash
# The cost of mutual TLS (docs/security.md, Transport; bench/README.md, "Mutual TLS"): two grpc-dotnet Echo servers
# hosted as the product hosts its services (tests/interop/P2PMesh.Interop.Host), one plaintext and one with
# Tls:Enabled (a CA and certificate made for the run, as `p2pmesh up --tls` makes them), and the grpc-dotnet client
# (bench/P2PMesh.Bench: Core's PeerChannelPool, with the same certificate for TLS) running every workload against
# both, alternating, in one run. Each figure is the median of the rounds; the table gives TLS next to plaintext and
# their ratio. Replaces the tls-bench block of bench/RESULTS.md. Stops both servers, also on failure or Ctrl-C.
#
#   bench/tls-run.sh                                  3 rounds, 1 s warm-up + 3 s measured per run
#   BENCH_SECONDS=10 BENCH_ROUNDS=5 bench/tls-run.sh  longer, steadier
#
# BENCH_SECONDS (3), BENCH_WARMUP (1), BENCH_ROUNDS (3), BENCH_OUTPUT (bench/RESULTS.md).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command_line="bench/tls-run.sh"
for knob in BENCH_ROUNDS BENCH_WARMUP BENCH_SECONDS; do
  if [ -n "${!knob:-}" ]; then command_line="$knob=${!knob} $command_line"; fi
done
seconds="${BENCH_SECONDS:-3}"
warmup="${BENCH_WARMUP:-1}"
rounds="${BENCH_ROUNDS:-3}"
output="${BENCH_OUTPUT:-$root/bench/RESULTS.md}"
started="$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_ROUNDS must be a positive integer" >&2; exit 2; }
run_timeout="$(awk -v s="$seconds" -v w="$warmup" 'BEGIN { printf "%d", s + w + 120 }')"

work="$(mktemp -d)"
pids=()
cleanup() {
  exec 3>&- 4>&-
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$pid" 2>/dev/null && sleep 1 && kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== build (Release)"
dotnet build -c Release -nologo -clp:NoSummary -warnaserror tests/interop/P2PMesh.Interop.Host/P2PMesh.Interop.Host.csproj
dotnet build -c Release -nologo -clp:NoSummary -warnaserror bench/P2PMesh.Bench/P2PMesh.Bench.csproj
host_dll="$root/tests/interop/P2PMesh.Interop.Host/bin/Release/net10.0/P2PMesh.Interop.Host.dll"
bench_dll="$root/bench/P2PMesh.Bench/bin/Release/net10.0/P2PMesh.Bench.dll"

echo "== a CA and certificate for the run"
tls="$work/tls"
dotnet "$bench_dll" --make-ca "$tls"

# start_server NAME FD COMMAND...: stdin a FIFO held open on FD (closing it stops the server); sets url[NAME].
declare -A url
start_server() {
  local name="$1" fd="$2"
  shift 2
  mkfifo "$work/$name.in"
  "$@" <"$work/$name.in" >"$work/$name.log" 2>&1 3>&- 4>&- &
  pids+=("$!")
  eval "exec $fd>\"\$work/\$name.in\""
  for _ in $(seq 600); do
    if url[$name]="$(sed -n 's/^LISTENING //p' "$work/$name.log" | head -1)" && [ -n "${url[$name]}" ]; then
      echo "   $name server: ${url[$name]}"
      return 0
    fi
    sleep 0.1
  done
  echo "$name server did not start:" >&2
  cat "$work/$name.log" >&2
  exit 1
}
echo "== servers"
start_server plaintext 3 dotnet "$host_dll"
start_server tls 4 dotnet "$host_dll" --Tls:Enabled=true "--Tls:CertificateFile=$tls/tls.crt" "--Tls:KeyFile=$tls/tls.key" "--Tls:CaFile=$tls/ca.crt"
declare -A client_tls=([plaintext]="" [tls]="$tls")

client() {
  local transport="$1"
  shift
  if [ -n "${client_tls[$transport]}" ]; then
    dotnet "$bench_dll" --target "${url[$transport]}" --tls "${client_tls[$transport]}" "$@"
  else
    dotnet "$bench_dll" --target "${url[$transport]}" "$@"
  fi
}

echo "== server warm-up (unmeasured)"
for transport in plaintext tls; do
  client "$transport" --workload unary-concurrent --seconds 1 --warmup 0 >/dev/null 3>&- 4>&-
  client "$transport" --workload stream-1m --seconds 1 --warmup 0 >/dev/null 3>&- 4>&-
done

echo "== runs: $rounds round(s) × 4 workloads × {plaintext, tls}, ${warmup} s warm-up + ${seconds} s each"
results="$work/results.jsonl"
: >"$results"
for round in $(seq "$rounds"); do
  for workload in unary-latency unary-concurrent stream-64k stream-1m; do
    for transport in plaintext tls; do
      line="$(timeout --kill-after=5 "$run_timeout" bash -c "$(declare -p url client_tls bench_dll); $(declare -f client); client $transport --workload $workload --seconds $seconds --warmup $warmup" 3>&- 4>&-)"
      printf '   round %d  %-16s %-9s  %s\n' "$round" "$workload" "$transport" "$line"
      printf '{"round":%d,"transport":"%s",%s\n' "$round" "$transport" "${line#\{}" >>"$results"
    done
  done
done

echo "== report"
block="$work/block.md"
BENCH_COMMAND="$command_line" BENCH_STARTED="$started" BENCH_SETTINGS="$rounds round(s), each run ${warmup} s warm-up + ${seconds} s measured" \
  node - "$results" >"$block" <<'JS'
const fs = require('node:fs');
const os = require('node:os');
const runs = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map(l => JSON.parse(l));
const median = xs => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const figure = (workload, transport, key) => median(runs.filter(r => r.workload === workload && r.transport === transport).map(r => r[key]));
const rows = [
  ['unary-latency', 'p50_us', 'µs p50 latency (lower is better)'],
  ['unary-latency', 'p99_us', 'µs p99 latency (lower is better)'],
  ['unary-concurrent', 'calls_per_s', 'calls/s, 64 in flight (higher is better)'],
  ['stream-64k', 'mib_per_s', 'MiB/s, 64 KiB messages (higher is better)'],
  ['stream-1m', 'mib_per_s', 'MiB/s, 1 MiB messages (higher is better)'],
  ['stream-1m', 'cpu_s', 'client CPU-s per measured window, 1 MiB messages'],
];
const out = [];
out.push('<!-- tls-bench:begin -->');
out.push('## Mutual TLS: its cost on the same workloads (bench/tls-run.sh)');
out.push('');
out.push(`\`${process.env.BENCH_COMMAND}\`, ${process.env.BENCH_STARTED}, ${os.cpus().length} × ${os.cpus()[0].model}, ${process.env.BENCH_SETTINGS}. grpc-dotnet client and server (as the product configures them), plaintext HTTP/2 and mutual TLS (ECDSA P-256, the certificate \`p2pmesh up --tls\` makes) side by side in one run; medians of the rounds.`);
out.push('');
out.push('| workload | figure | plaintext | TLS | TLS / plaintext |');
out.push('|---|---|---:|---:|---:|');
for (const [workload, key, label] of rows) {
  const plain = figure(workload, 'plaintext', key);
  const tls = figure(workload, 'tls', key);
  out.push(`| ${workload} | ${label} | ${plain} | ${tls} | ${(tls / plain).toFixed(2)} |`);
}
out.push('<!-- tls-bench:end -->');
console.log(out.join('\n'));
JS
if [ -f "$output" ] && grep -q '^<!-- tls-bench:begin -->$' "$output"; then
  awk -v block="$block" '/^<!-- tls-bench:begin -->$/ { while ((getline l < block) > 0) print l; skip = 1; next }
    /^<!-- tls-bench:end -->$/ { skip = 0; next } !skip { print }' "$output" >"$work/out.md"
else
  { cat "$output" 2>/dev/null; echo; cat "$block"; } >"$work/out.md"
fi
mv "$work/out.md" "$output"
cat "$block"
echo "   wrote ${output#"$root/"}"
