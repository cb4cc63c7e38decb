#!/usr/bin/env bash
# Runs every test suite of the repository and ends with one line: "tests: N passed, M failed".
# This is the README's test command; .ci/run calls it. Needs the .NET 10 SDK and Node.js >= 20 (npm).
#
#   tests/run.sh            build (Release, warnings are errors), then all suites
#
# Suites: every xunit project in P2PMesh.sln (results as TRX), the grpc-js interop suite (node --test),
# the deployment suite (tests/deploy: helm lint/template, kustomize, schema validation, the dashboard), the
# first-hour suite (tests/first-hour: README.md's set-up line in a clean environment, then ./demo.sh with
# 4 peers), the partition suite (tests/faults: a peer cut off in a network namespace and back) and the container
# suite (tests/containers: images + a podman mesh); the last five write TAP.
# All results go under artifacts/test-results/. The partition and container suites need root (network namespaces,
# iptables, apt-get, podman).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
cd "$root"

status=0

echo "== npm ci (tests/interop: @grpc/grpc-js and friends, pinned by package-lock.json)"
(cd tests/interop && npm ci --no-audit --no-fund --loglevel=error) || status=1

echo "== dotnet build (Release)"
dotnet build P2PMesh.sln -c Release -nologo -clp:NoSummary -warnaserror || { echo "build failed"; echo "tests: 0 passed, 1 failed"; exit 1; }

echo "== dotnet test"
dotnet test P2PMesh.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  --blame-hang --blame-hang-timeout 5m || status=1

echo "== grpc-js interop (node --test)"
(cd tests/interop && INTEROP_HOST_DLL="$root/tests/interop/P2PMesh.Interop.Host/bin/Release/net10.0/P2PMesh.Interop.Host.dll" \
  node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$results/interop.tap" server.test.js) || status=1

echo "== deployment: Helm chart and kustomize overlays rendered and validated, the dashboard (tests/deploy)"
bash tests/deploy/run.sh "$results/deploy.tap" || status=1

echo "== first hour: README.md's set-up line in a clean environment, p2pmesh from PATH, ./demo.sh with 4 peers (tests/first-hour)"
bash tests/first-hour/run.sh "$results/first-hour.tap" || status=1

echo "== partition: one peer of four cut off in its network namespace and back (tests/faults)"
bash tests/faults/partition.sh "$results/partition.tap" || status=1

echo "== containers: the three images and a 5-peer container mesh on podman (tests/containers)"
bash tests/containers/run.sh "$results/containers.tap" || status=1

# Sum the counts: TRX <Counters passed="" failed=""> per test project, TAP "# pass" / "# fail".
passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')
  f=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
for tap in interop deploy first-hour partition containers; do
  if [ -f "$results/$tap.tap" ]; then
    p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$results/$tap.tap" | tail -1)
    f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$results/$tap.tap" | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
  else
    echo "$tap: no TAP results"
    failed=$((failed + 1))
  fi
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # a suite failed without reporting a failed test (crash, hang, missing tool)
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
