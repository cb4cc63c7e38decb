#!/usr/bin/env bash
# File-transfer benchmark (bench/README.md, "File transfer throughput"): a 1 GiB file downloaded over
# loopback from 1 and from 3 PServer processes through the download engine, next to two references
# measured in the same run: a raw TCP copy of the same file (curl from a Kestrel static-file GET) and
# this machine's SHA-256 rate (sha256sum and .NET). Also the peak RSS of every serving process and of
# the downloader. Builds Release, runs everything, stops every process it started, deletes the big
# files and replaces the transfer-bench block of bench/RESULTS.md. JSON lines on stdout, progress on stderr.
#
#   bench/transfer-run.sh                   1 GiB, 3 runs per row: ~3-6 min on 2 idle cores
#   bench/transfer-run.sh --size 256M       quicker (any size numfmt --from=iec reads: 64M, 1G, 2G …)
#   bench/transfer-run.sh --runs 5          more runs per row (each figure is the median)
#
# TRANSFER_OUTPUT (bench/RESULTS.md)   the markdown file whose transfer-bench block is replaced
# TRANSFER_TMP (/tmp)                  where the work directory (the file, 3 state dirs, the download) goes
# TRANSFER_QUIET_WAIT (60)             seconds to wait, before each run, for other processes to calm down
# TRANSFER_QUIET_THRESHOLD (0.3)       ... to below this many cores
# TRANSFER_IN_FLIGHT (engine default)  Downloads:MaxInFlightPerSource of the downloader
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

size_text=1G
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size_text="${2:?--size needs a value}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
size="$(numfmt --from=iec "$size_text" 2>/dev/null)" || { echo "--size: cannot read '$size_text'" >&2; exit 2; }
[[ "$size" =~ ^[1-9][0-9]*$ ]] || { echo "--size must be positive" >&2; exit 2; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive integer" >&2; exit 2; }
output="${TRANSFER_OUTPUT:-$root/bench/RESULTS.md}"
quiet_wait="${TRANSFER_QUIET_WAIT:-60}"
quiet_threshold="${TRANSFER_QUIET_THRESHOLD:-0.3}"
in_flight="${TRANSFER_IN_FLIGHT:-}"
for tool in curl sha256sum numfmt awk /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done

# The exact command, with the knobs that were set explicitly.
command_line="bench/transfer-run.sh"
[ "$size_text" != 1G ] && command_line+=" --size $size_text"
[ "$runs" != 3 ] && command_line+=" --runs $runs"
for knob in TRANSFER_IN_FLIGHT TRANSFER_QUIET_THRESHOLD TRANSFER_QUIET_WAIT TRANSFER_TMP TRANSFER_OUTPUT; do
  if [ -n "${!knob:-}" ]; then command_line="$knob=${!knob} $command_line"; fi
done

# ---- every process this script starts is in $started; all of them go, and the work directory too, on any exit.
work="$(mktemp -d "${TRANSFER_TMP:-/tmp}/p2pmesh-transfer.XXXXXX")"
started=()
# stop_pid PID: SIGTERM, up to 10 s to exit, then SIGKILL; reaps it and forgets it (so a reused pid is never hit).
forget_pid() {
  local keep=() p
  for p in "${started[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  started=("${keep[@]}")
}
stop_pid() {
  local pid="$1" i
  forget_pid "$pid"
  if kill -TERM "$pid" 2>/dev/null; then
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  while [ "${#started[@]}" -gt 0 ]; do stop_pid "${started[0]}"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

echo "== build (Release)" >&2
dotnet build -c Release -nologo -clp:NoSummary -warnaserror services/P2PMesh.PServer/P2PMesh.PServer.csproj >&2
dotnet build -c Release -nologo -clp:NoSummary -warnaserror bench/P2PMesh.TransferBench/P2PMesh.TransferBench.csproj >&2
bench=(dotnet "$root/bench/P2PMesh.TransferBench/bin/Release/net10.0/P2PMesh.TransferBench.dll")
pserver="$root/services/P2PMesh.PServer/bin/Release/net10.0/P2PMesh.PServer.dll"
results="$work/results.jsonl"
: > "$results"
emit() { echo "$1" >> "$results"; echo "$1"; }

# ---- CPU accounting of the runs measured from here (curl, sha256sum): /proc/stat and /proc/<pid>/stat ticks.
hz="$(getconf CLK_TCK)"
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }   # user nice system irq softirq steal
irq_ticks() { awk '/^cpu /{print $7+$8; exit}' /proc/stat; }                  # irq softirq: charged to no process
pid_ticks() {
  local total=0 pid v
  for pid in "$@"; do
    v="$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
    total=$((total + v))
  done
  echo "$total"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
wait_quiet() { # id watched-pids
  "${bench[@]}" wait-quiet --max-s "$quiet_wait" --threshold "$quiet_threshold" --watch-pids "${2:-}" --id "$1" >> "$results"
}
# measure KIND ID "WATCHED PIDS" -- command…: runs the command under /usr/bin/time; its stdout is in
# $work/out.txt; sets measured_wall (s) and measured_json (the start of a JSON object, without its closing brace).
measure() {
  local kind="$1" id="$2" watched="$3"; shift 4
  local l0 l1 b0 b1 i0 i1 w0 w1 t0 t1 e u s
  l0="$(load)"; w0="$(pid_ticks $watched)"; b0="$(busy_ticks)"; i0="$(irq_ticks)"; t0="$(date +%s%N)"
  /usr/bin/time -f '%e %U %S' -o "$work/time.txt" "$@" > "$work/out.txt"
  t1="$(date +%s%N)"; b1="$(busy_ticks)"; i1="$(irq_ticks)"; w1="$(pid_ticks $watched)"; l1="$(load)"
  read -r e u s < <(tail -n 1 "$work/time.txt")
  measured_wall="$(awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.3f", (t1 - t0) / 1e9 }')"
  measured_json="$(awk -v t0="$t0" -v t1="$t1" -v b="$((b1 - b0))" -v i="$((i1 - i0))" -v w="$((w1 - w0))" -v u="$u" -v s="$s" -v hz="$hz" \
    -v kind="$kind" -v id="$id" -v l0="$l0" -v l1="$l1" 'BEGIN {
      wall = (t1 - t0) / 1e9; self = (u + s) / wall; watched = w / hz / wall; irq = i / hz / wall; machine = b / hz / wall;
      other = machine - self - watched - irq; if (other < 0) other = 0;
      printf "{\"kind\":\"%s\",\"id\":\"%s\",\"wall_s\":%.3f,\"cpu\":{\"wall_seconds\":%.3f,\"self_cores\":%.3f,\"user_s\":%.2f,\"system_s\":%.2f,\"watched_cores\":%.3f,\"interrupt_cores\":%.3f,\"machine_cores\":%.3f,\"other_cores\":%.3f},\"load_before\":\"%s\",\"load_after\":\"%s\"",
        kind, id, wall, wall, self, u, s, watched, irq, machine, other, l0, l1 }')"
}

# ---- the file
mkdir -p "$work/share" "$work/dl"
file="$work/share/transfer-bench.bin"
echo "== $size bytes of /dev/urandom into $file" >&2
t0="$(date +%s%N)"
head -c "$size" /dev/urandom > "$file"
gen_s="$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')"
sha="$(sha256sum "$file" | cut -d' ' -f1)"   # also the warm-up read: the file is in the page cache from here on
# A small second file in the share, for the servers' unmeasured warm-up download (below).
warm_size=$((size < 134217728 ? size : 134217728))
head -c "$warm_size" /dev/urandom > "$work/share/warm-up.bin"
warm_sha="$(sha256sum "$work/share/warm-up.bin" | cut -d' ' -f1)"
fs_type="$(df --output=fstype "$work" | tail -n 1 | tr -d ' ')"
emit "$(printf '{"kind":"meta","size_bytes":%s,"warm_up_bytes":%s,"runs":%s,"quiet_wait_s":%s,"quiet_threshold":%s,"tmp_dir":"%s","fs_type":"%s","date":"%s","file_gen_seconds":%s,"sha256":"%s"%s}' \
  "$size" "$warm_size" "$runs" "$quiet_wait" "$quiet_threshold" "${TRANSFER_TMP:-/tmp}" "$fs_type" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
  "$gen_s" "$sha" "${in_flight:+,\"in_flight\":\"$in_flight\"}")"

# ---- SHA-256 references
echo "== SHA-256: sha256sum and .NET, $runs runs each" >&2
for r in $(seq "$runs"); do
  id="sha256sum-r$r"
  wait_quiet "$id"
  measure sha256sum "$id" "" -- sha256sum "$file"
  [ "$(cut -d' ' -f1 "$work/out.txt")" = "$sha" ] || { echo "sha256sum disagrees with itself" >&2; exit 1; }
  emit "$(awk -v j="$measured_json" -v n="$size" -v w="$measured_wall" 'BEGIN {
    printf "%s,\"bytes\":%d,\"seconds\":%.3f,\"mib_per_s\":%.1f}", j, n, w, n / 1048576 / w }')"
done
for r in $(seq "$runs"); do
  id="sha256-dotnet-r$r"
  wait_quiet "$id"
  line="$("${bench[@]}" sha256 --file "$file" --id "$id")"
  [[ "$line" == *"\"sha256\":\"$sha\""* ]] || { echo ".NET SHA-256 disagrees with sha256sum: $line" >&2; exit 1; }
  emit "$line"
done

ports=($("${bench[@]}" free-ports --count 4))

# ---- raw TCP reference: curl from a Kestrel static-file GET
echo "== raw TCP: curl from Kestrel (127.0.0.1:${ports[3]}), $runs runs" >&2
"${bench[@]}" serve-file --file "$file" --port "${ports[3]}" > "$work/kestrel.log" 2>&1 &
kestrel=$!; started+=("$kestrel")
for i in $(seq 300); do
  grep -q '^LISTENING ' "$work/kestrel.log" && break
  kill -0 "$kestrel" 2>/dev/null || { cat "$work/kestrel.log" >&2; exit 1; }
  sleep 0.1
done
url="$(sed -n 's/^LISTENING //p' "$work/kestrel.log")"
[ -n "$url" ] || { echo "Kestrel did not start" >&2; cat "$work/kestrel.log" >&2; exit 1; }
curl -sS -o /dev/null "$url"   # warm-up (JIT, connection code paths), not measured
kestrel_hwm_ready="$(awk '/^VmHWM:/{print $2}' "/proc/$kestrel/status")"
for r in $(seq "$runs"); do
  id="raw-tcp-r$r"
  wait_quiet "$id" "$kestrel"
  measure raw_tcp "$id" "$kestrel" -- curl -sS -o /dev/null -w '%{speed_download} %{size_download} %{time_total}\n' "$url"
  read -r speed got total < "$work/out.txt"
  [ "$got" = "$size" ] || { echo "curl got $got of $size bytes" >&2; exit 1; }
  emit "$(awk -v j="$measured_json" -v n="$size" -v sp="$speed" -v t="$total" 'BEGIN {
    printf "%s,\"bytes\":%d,\"seconds\":%.3f,\"mib_per_s\":%.1f}", j, n, t, sp / 1048576 }')"
done
emit "$(printf '{"kind":"process","name":"Kestrel static file","role":"raw TCP reference","pid":%s,"vmhwm_ready_kib":%s,"vmhwm_kib":%s,"vmrss_kib":%s}' \
  "$kestrel" "$kestrel_hwm_ready" "$(awk '/^VmHWM:/{print $2}' "/proc/$kestrel/status")" "$(awk '/^VmRSS:/{print $2}' "/proc/$kestrel/status")")"
stop_pid "$kestrel"

# ---- three PServers sharing the one share directory, each with its own state directory
echo "== 3 PServers on 127.0.0.1:${ports[0]},${ports[1]},${ports[2]}; waiting until each serves the file (start-up hash)" >&2
servers=(); addresses=()
for i in 0 1 2; do
  mkdir -p "$work/state-s$((i + 1))"
  dotnet "$pserver" --hostBuilder:reloadConfigOnChange=false --Peer:Id="s$((i + 1))" --Peer:ListenAddress=127.0.0.1 \
    --Peer:GrpcPort="${ports[i]}" --Content:ShareDirectory="$work/share" --Content:StateDirectory="$work/state-s$((i + 1))" \
    --Content:WatchForChanges=false --Neighbours:AutoDiscover=false --Logging:LogLevel:Default=Warning \
    > "$work/s$((i + 1)).log" 2>&1 &
  servers+=($!); started+=($!); addresses+=("127.0.0.1:${ports[i]}")
done
waiters=()
for i in 0 1 2; do
  "${bench[@]}" wait-manifest --source "${addresses[i]}" --sha256 "$sha" --pid "${servers[i]}" --timeout-s 900 > "$work/ready-s$((i + 1)).json" &
  waiters+=($!); started+=($!)
done
for i in 0 1 2; do
  wait "${waiters[i]}" || { echo "PServer s$((i + 1)) did not serve the file:" >&2; cat "$work/s$((i + 1)).log" >&2; exit 1; }
  forget_pid "${waiters[i]}"   # exited and reaped
done
hwm_ready=()
for i in 0 1 2; do
  hwm_ready+=("$(awk '/^VmHWM:/{print $2}' "/proc/${servers[i]}/status")")
  emit "$(cat "$work/ready-s$((i + 1)).json")"
done
all_servers="$(IFS=,; echo "${servers[*]}")"
all_addresses="$(IFS=,; echo "${addresses[*]}")"

# One unmeasured 3-source download of the small warm-up file, so that every PServer has run its
# GetManifest/ReadChunks paths (tiered JIT) before the first measured run.
echo "== warm-up: one unmeasured 3-source download of $warm_size bytes" >&2
for i in 0 1 2; do
  "${bench[@]}" wait-manifest --source "${addresses[i]}" --sha256 "$warm_sha" --pid "${servers[i]}" --timeout-s 900 > /dev/null
done
rm -rf "$work/dl"; mkdir -p "$work/dl/share"
"${bench[@]}" download --sources "$all_addresses" --sha256 "$warm_sha" --share "$work/dl/share" --state "$work/dl/state" \
  --name warm-up.bin ${in_flight:+--in-flight "$in_flight"} > /dev/null 2> "$work/warm-up.log" || { cat "$work/warm-up.log" >&2; exit 1; }

# ---- downloads: 1 source (s1) and 3 sources, alternating; a fresh downloader process and share per run
echo "== downloads: 1 source and 3 sources, $runs runs each" >&2
for r in $(seq "$runs"); do
  for n in 1 3; do
    id="p2p-$n-r$r"
    rm -rf "$work/dl"; mkdir -p "$work/dl/share"
    sources="${addresses[0]}"
    [ "$n" = 3 ] && sources="$all_addresses"
    wait_quiet "$id" "$all_servers"
    echo "   $id" >&2
    if ! line="$("${bench[@]}" download --sources "$sources" --sha256 "$sha" --share "$work/dl/share" --state "$work/dl/state" \
        --watch-pids "$all_servers" --id "$id" ${in_flight:+--in-flight "$in_flight"} 2> "$work/$id.log")"; then
      echo "download $id failed: $line" >&2; cat "$work/$id.log" >&2; exit 1
    fi
    emit "$line"
  done
done
rm -rf "$work/dl"

for i in 0 1 2; do
  pid="${servers[i]}"
  emit "$(printf '{"kind":"process","name":"PServer s%s","role":"source","address":"%s","pid":%s,"ready_seconds":%s,"vmhwm_ready_kib":%s,"vmhwm_kib":%s,"vmrss_kib":%s,"cpu_seconds":%s}' \
    "$((i + 1))" "${addresses[i]}" "$pid" "$(sed 's/.*"seconds":\([0-9.]*\).*/\1/' "$work/ready-s$((i + 1)).json")" "${hwm_ready[i]}" \
    "$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status")" "$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status")" \
    "$(awk -v t="$(pid_ticks "$pid")" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }')")"
done
for pid in "${servers[@]}"; do stop_pid "$pid"; done
rm -f "$file" "$work/share/warm-up.bin"

"${bench[@]}" report --input "$results" --results "$output" --command "$command_line"
