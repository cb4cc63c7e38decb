#!/usr/bin/env bash
# Runs the whole benchmark (bench/README.md) and writes bench/RESULTS.md:
# builds Release, starts our grpc-dotnet Echo server (tests/interop/P2PMesh.Interop.Host, hosted as the
# product hosts its services) and the grpc-js one (tests/interop/echo-server.js) on free 127.0.0.1 ports,
# runs every workload with both clients (bench/P2PMesh.Bench: grpc-dotnet as a peer calls a peer;
# bench/grpcjs-client.js) against both servers, one client process at a time, then stops both servers,
# also on failure or Ctrl-C.
#
#   bench/run.sh                                   3 rounds × 16 runs of 1 s warm-up + 3 s measured
#   BENCH_SECONDS=10 BENCH_ROUNDS=5 bench/run.sh   longer, steadier
#
# BENCH_SECONDS (3), BENCH_WARMUP (1), BENCH_ROUNDS (3): each cell is the median of the rounds.
# BENCH_OUTPUT (bench/RESULTS.md): where the report goes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The exact command, with the knobs that were set explicitly.
command_line="bench/run.sh"
for knob in BENCH_ROUNDS BENCH_WARMUP BENCH_SECONDS; do
  if [ -n "${!knob:-}" ]; then command_line="$knob=${!knob} $command_line"; fi
done
seconds="${BENCH_SECONDS:-3}"
warmup="${BENCH_WARMUP:-1}"
rounds="${BENCH_ROUNDS:-3}"
output="${BENCH_OUTPUT:-$root/bench/RESULTS.md}"
started="$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
for knob in "$seconds" "$warmup"; do
  [[ "$knob" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "BENCH_SECONDS and BENCH_WARMUP must be numbers of seconds" >&2; exit 2; }
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_ROUNDS must be a positive integer" >&2; exit 2; }
# A client that takes this long has hung: it is killed and its run counts as failed.
run_timeout="$(awk -v s="$seconds" -v w="$warmup" 'BEGIN { printf "%d", s + w + 120 }')"

work="$(mktemp -d)"
pids=()

# Closing a server's stdin stops it (its contract); SIGTERM, then SIGKILL, if it lingers.
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
if [ ! -d tests/interop/node_modules/@grpc/grpc-js ]; then
  echo "== npm ci (tests/interop)"
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi

host_dll="$root/tests/interop/P2PMesh.Interop.Host/bin/Release/net10.0/P2PMesh.Interop.Host.dll"
bench_dll="$root/bench/P2PMesh.Bench/bin/Release/net10.0/P2PMesh.Bench.dll"

# start_server NAME FD COMMAND...: the server's stdin is a FIFO held open on FD by this script
# (children never inherit it), its stdout/stderr go to $work/NAME.log. Sets the URL of NAME.
declare -A url server_pid
start_server() {
  local name="$1" fd="$2"
  shift 2
  mkfifo "$work/$name.in"
  "$@" <"$work/$name.in" >"$work/$name.log" 2>&1 3>&- 4>&- &
  server_pid[$name]=$!
  pids+=("$!")
  eval "exec $fd>\"\$work/\$name.in\""
  for _ in $(seq 600); do
    if url[$name]="$(sed -n 's/^LISTENING //p' "$work/$name.log" | head -1)" && [ -n "${url[$name]}" ]; then
      echo "   $name server: ${url[$name]} (pid ${server_pid[$name]})"
      return 0
    fi
    kill -0 "${server_pid[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name server did not start:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

hz="$(getconf CLK_TCK)"
# CPU seconds (user + system) a process has used so far.
cpu_seconds() {
  awk -v hz="$hz" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"
}
# CPU seconds (user + system) every process on the machine has used so far.
machine_cpu_seconds() {
  awk -v hz="$hz" '/^cpu / { printf "%.2f", ($2 + $3 + $4) / hz }' /proc/stat
}
# Sets children_cpu to the CPU seconds (user + system) this script's finished children (the clients)
# have used so far. Call it directly: `times` in a $(...) subshell would report the subshell's children.
read_children_cpu() {
  times >"$work/times"
  children_cpu="$(awk 'END { gsub(/s/, ""); split($1, u, "m"); split($2, s, "m"); printf "%.2f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$work/times")"
}
# Waits up to 20 s for the machine to be idle: other work on the 2 cores skews the figures.
wait_for_quiet() {
  local before
  for _ in $(seq 40); do
    before="$(machine_cpu_seconds)"
    sleep 0.5
    awk -v a="$before" -v b="$(machine_cpu_seconds)" 'BEGIN { exit !(b - a < 0.1) }' && return 0
  done
  echo "   (other processes kept the CPUs busy for 20 s; running anyway)"
}

echo "== servers"
start_server grpc-dotnet 3 dotnet "$host_dll"
start_server grpc-js 4 node "$root/tests/interop/echo-server.js"

# Each client process warms itself up, but the servers live through every run: warm them up once
# (JIT tiering, pools) so that round 1 does not pay for it. Nothing here is measured.
echo "== server warm-up (unmeasured)"
for server in grpc-dotnet grpc-js; do
  for workload in unary-concurrent stream-64k; do
    dotnet "$bench_dll" --target "${url[$server]}" --workload "$workload" --seconds 1 --warmup 0 >/dev/null 3>&- 4>&- ||
      echo "   warm-up of the $server server ($workload) failed" >&2
    node "$root/bench/grpcjs-client.js" --target "${url[$server]}" --workload "$workload" --seconds 1 --warmup 0 >/dev/null 3>&- 4>&- ||
      echo "   warm-up of the $server server ($workload, grpc-js client) failed" >&2
  done
done

echo "== runs: $rounds round(s) × 4 workloads × 2 servers × 2 clients, ${warmup} s warm-up + ${seconds} s each"
runs="$work/runs"
mkdir -p "$runs"
for round in $(seq "$rounds"); do
  for workload in unary-latency unary-concurrent stream-64k stream-1m; do
    for server in grpc-dotnet grpc-js; do
      for client in grpc-dotnet grpc-js; do
        if [ "$client" = grpc-dotnet ]; then
          client_command=(dotnet "$bench_dll")
        else
          client_command=(node "$root/bench/grpcjs-client.js")
        fi
        run="$runs/$round.$workload.$server.$client"
        wait_for_quiet
        server_before="$(cpu_seconds "${server_pid[$server]}")"
        read_children_cpu
        client_before="$children_cpu"
        machine_before="$(machine_cpu_seconds)"
        rc=0
        timeout --kill-after=5 "$run_timeout" "${client_command[@]}" \
          --target "${url[$server]}" --workload "$workload" --seconds "$seconds" --warmup "$warmup" \
          >"$run.out" 2>"$run.err" 3>&- 4>&- || rc=$?
        machine_after="$(machine_cpu_seconds)"
        server_after="$(cpu_seconds "${server_pid[$server]}")"
        read_children_cpu
        client_after="$children_cpu"
        kill -0 "${server_pid[$server]}" 2>/dev/null || { echo "the $server server died:" >&2; cat "$work/$server.log" >&2; exit 1; }
        # server_cpu_s: the server over the whole run; other_cpu_s: every other process meanwhile.
        head="$(printf '"round":%d,"server":"%s","client":"%s","workload":"%s","rc":%d' "$round" "$server" "$client" "$workload" "$rc")"
        awk -v head="$head" -v s0="$server_before" -v s1="$server_after" -v c0="$client_before" -v c1="$client_after" \
          -v m0="$machine_before" -v m1="$machine_after" 'BEGIN {
            other = (m1 - m0) - (s1 - s0) - (c1 - c0)
            printf "{%s,\"server_cpu_s\":%.2f,\"other_cpu_s\":%.2f}\n", head, s1 - s0, other < 0 ? 0 : other }' >"$run.meta"
        printf '   round %d  %-16s server %-11s client %-11s  ' "$round" "$workload" "$server" "$client"
        if [ "$rc" -eq 0 ]; then cat "$run.out"; else echo "FAILED (exit $rc): $(tail -n 3 "$run.err" | tr '\n' ' ')"; fi
      done
    done
  done
done

echo "== report"
BENCH_COMMAND="$command_line" BENCH_STARTED="$started" BENCH_SETTINGS="$rounds round(s), each run ${warmup} s warm-up + ${seconds} s measured" \
  node "$root/bench/report.js" "$runs" >"$work/report.md"
# The flood and transfer benchmarks keep their own blocks (<!-- NAME-bench:begin --> … end) in the same file.
if [ -f "$output" ]; then
  awk '/^<!-- [a-z]+-bench:begin -->$/ { keep = 1; print "" } keep { print } /^<!-- [a-z]+-bench:end -->$/ { keep = 0 }' "$output" >>"$work/report.md"
fi
mv "$work/report.md" "$output"
echo "   wrote ${output#"$root/"}"
failed="$(cat "$runs"/*.meta | grep -vc '"rc":0,' || true)"
missing=$((rounds * 16 - $(find "$runs" -name '*.meta' | wc -l)))
[ "$missing" -eq 0 ] || { echo "$missing run(s) missing" >&2; exit 1; }
for name in grpc-dotnet grpc-js; do
  if grep -qiE 'fail|exception|error' "$work/$name.log"; then
    echo "   note: the $name server logged errors (first lines):"
    grep -iE 'fail|exception|error' "$work/$name.log" | head -5 | sed 's/^/     /'
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "$failed run(s) failed: see ${output#"$root/"}" >&2
  exit 1
fi
