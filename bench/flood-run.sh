#!/usr/bin/env bash
# Flood-search benchmark (bench/README.md, "Flood search: cost and latency"): builds Release, runs
# bench/P2PMesh.FloodBench (N = 10, 50, 100, 200 in-process PServers on 127.0.0.1, random 4-regular
# graphs, TTL 3, 5, 7) and replaces the flood-bench block of bench/RESULTS.md. Prints one JSON line
# per (N, TTL) on stdout, progress on stderr.
#
#   bench/flood-run.sh                  full run, ~2-4 min on 2 cores (longer while other work runs)
#   bench/flood-run.sh --quick          smoke: N = 10, 50, 10 runs per row, ~30 s
#   bench/flood-run.sh --runs 100       any option of the app is passed through (see its Program.cs)
#
# Search modes side by side (bench/README.md, "Search modes side by side"): flood (TTL 7), directory and mom
# on one 100-peer mesh with a real Bootstrap (the directory) and a private RabbitMQ node; replaces the
# modes-bench block instead. Needs rabbitmq-server.
#   bench/flood-run.sh --modes flood,directory,mom                    100 peers, 20 rounds, ~2 min on 2 cores
#   bench/flood-run.sh --modes flood,directory,mom --runs 50 --mom-deadline 1000
#
# The app stops every peer (and the Bootstrap and the broker) when it ends, also on failure, Ctrl-C or
# SIGTERM: this script passes SIGINT and SIGTERM on to it as SIGTERM and waits.
#
# FLOOD_OUTPUT (bench/RESULTS.md): the markdown file whose flood-bench block is replaced.
# FLOOD_TIMEOUT (1200): seconds after which the run is interrupted (SIGTERM: it stops its peers).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

output="${FLOOD_OUTPUT:-$root/bench/RESULTS.md}"
limit="${FLOOD_TIMEOUT:-1200}"
[[ "$limit" =~ ^[1-9][0-9]*$ ]] || { echo "FLOOD_TIMEOUT must be a positive number of seconds" >&2; exit 2; }

# The exact command, with the knobs that were set explicitly.
command_line="bench/flood-run.sh${*:+ $*}"
for knob in FLOOD_TIMEOUT FLOOD_OUTPUT; do
  if [ -n "${!knob:-}" ]; then command_line="$knob=${!knob} $command_line"; fi
done

echo "== build (Release)" >&2
dotnet build -c Release -nologo -clp:NoSummary -warnaserror bench/P2PMesh.FloodBench/P2PMesh.FloodBench.csproj >&2

echo "== run" >&2
# In the background so that a signal to this script runs its trap, which passes it on and waits for the app
# to stop what it started (timeout's --kill-after is the last resort). SIGTERM, not SIGINT: a background job
# of a script starts with SIGINT ignored, and the app would never see it.
timeout --signal=TERM --kill-after=60 "$limit" \
  dotnet "$root/bench/P2PMesh.FloodBench/bin/Release/net10.0/P2PMesh.FloodBench.dll" \
    --results "$output" --command "$command_line" "$@" &
app=$!
trap 'kill -TERM "$app" 2>/dev/null || true' INT TERM
status=0
wait "$app" || status=$?
if kill -0 "$app" 2>/dev/null; then
  # That wait was cut short by a signal: wait for the app to finish stopping.
  wait "$app" || status=$?
fi
exit "$status"
