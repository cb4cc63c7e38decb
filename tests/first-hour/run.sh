#!/usr/bin/env bash
# A newcomer's first hour (issue 16), TAP to $1:
#
#   tests/first-hour/run.sh [TAP_FILE]      default artifacts/test-results/first-hour.tap
#
# 1. the set-up line of README.md (the block between "<!-- set-up line" and "<!-- /set-up line -->"),
#    run as written from the checkout's root in a clean environment: a temporary HOME, and a PATH of the
#    system directories plus dotnet's and node's, without this checkout; then, in that same shell,
#    `p2pmesh` resolves to this checkout's bin/p2pmesh, `--version` and `--help` work, and a verb against
#    an API nobody serves exits 3 (cannot reach the API);
# 2. ./demo.sh with 4 peers: its output shows at least two sources that served chunks and the OK line.
#    DEMO_FILE_MIB (default here 24) sets the demo's file size.
# Cheap when the solution is built (tests/run.sh builds it first): about 10 s, then the demo, about 25 s.
# Builds run without build servers (no MSBuild node reuse, no shared compiler), so nothing stays running.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tap="$(realpath -m "${1:-$root/artifacts/test-results/first-hour.tap}")"
mkdir -p "$(dirname "$tap")"
: >"$tap"
work="$(mktemp -d /tmp/p2pmesh-first-hour.XXXXXX)"
trap 'rm -rf "$work"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1" | tee -a "$tap"; }
not_ok() {
  n=$((n + 1)); failed=$((failed + 1))
  echo "not ok $n - $1" | tee -a "$tap"
  printf '  ---\n%s\n  ...\n' "$(printf '%s\n' "$2" | tail -30 | sed 's/^/  # /')" | tee -a "$tap"
}
finish() {
  { echo "1..$n"; echo "# tests $n"; echo "# pass $((n - failed))"; echo "# fail $failed"; } | tee -a "$tap"
  [ "$failed" -eq 0 ]
}
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false

# --- 1. the README's set-up line --------------------------------------------------------------------
setup="$(awk '/^<!-- set-up line/ {on=1; next} /^<!-- \/set-up line -->/ {on=0} on && !/^```/' "$root/README.md")"
if [ -z "$setup" ] || [ "$(printf '%s\n' "$setup" | grep -c .)" -ne 1 ]; then
  not_ok "README.md has one set-up line between '<!-- set-up line' and '<!-- /set-up line -->'" "found: '$setup'"
  finish
  exit 1
fi
ok "README.md has one set-up line: $setup"

# The clean environment: what a fresh login on this machine has, plus the prerequisites (dotnet, node).
# NUGET_PACKAGES keeps the machine's package cache, so the temporary HOME does not download every package
# again (a real newcomer's first build does: add that to the timings in README.md).
clean_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
for tool in dotnet node; do
  dir="$(dirname "$(command -v "$tool")")"
  case ":$clean_path:" in *":$dir:"*) ;; *) clean_path="$clean_path:$dir" ;; esac
done
case ":$clean_path:" in *":$root/"*) not_ok "the clean PATH leaves this checkout out" "$clean_path"; finish; exit 1 ;; esac
packages="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')"
mkdir -p "$work/home"
cat >"$work/first-hour.sh" <<EOF
set -euo pipefail
cd "$root"
$setup
command -v p2pmesh >"$work/which"
p2pmesh --version >"$work/version"
p2pmesh --help >"$work/help"
status=0
p2pmesh ls --api http://127.0.0.1:1 >"$work/dead.out" 2>&1 || status=\$?
echo "\$status" >"$work/dead.status"
EOF
t=$SECONDS
if env -i HOME="$work/home" PATH="$clean_path" LANG=C.UTF-8 NUGET_PACKAGES="$packages" DOTNET_NOLOGO=1 \
     DOTNET_CLI_TELEMETRY_OPTOUT=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false \
     bash "$work/first-hour.sh" >"$work/setup.log" 2>&1; then
  ok "the set-up line runs in a clean environment (temporary HOME, PATH without the checkout) ($((SECONDS - t)) s)"
else
  not_ok "the set-up line runs in a clean environment (temporary HOME, PATH without the checkout)" "$(cat "$work/setup.log")"
  finish
  exit 1
fi
if [ "$(cat "$work/which")" = "$root/bin/p2pmesh" ]; then
  ok "p2pmesh on PATH is the checkout's bin/p2pmesh"
else
  not_ok "p2pmesh on PATH is the checkout's bin/p2pmesh" "command -v p2pmesh: $(cat "$work/which")"
fi
if grep -qE '^[0-9]+\.[0-9]+\.[0-9]+' "$work/version"; then
  ok "p2pmesh --version: $(cat "$work/version")"
else
  not_ok "p2pmesh --version prints a version" "$(cat "$work/version")"
fi
missing=""
for verb in up search get put ls peers status; do grep -qE "^  $verb( |$)" "$work/help" || missing="$missing $verb"; done
if [ -z "$missing" ]; then
  ok "p2pmesh --help lists up, search, get, put, ls, peers and status"
else
  not_ok "p2pmesh --help lists every verb" "missing:$missing
$(cat "$work/help")"
fi
if [ "$(cat "$work/dead.status")" = 3 ] && grep -q 'cannot reach' "$work/dead.out"; then
  ok "p2pmesh ls against an API nobody serves exits 3 and says it cannot reach it"
else
  not_ok "p2pmesh ls against an API nobody serves exits 3" "exit $(cat "$work/dead.status"): $(cat "$work/dead.out")"
fi

# --- 2. the demo -----------------------------------------------------------------------------------
t=$SECONDS
status=0
DEMO_FILE_MIB="${DEMO_FILE_MIB:-24}" "$root/demo.sh" /usr/share/common-licenses 4 >"$work/demo.log" 2>&1 || status=$?
# The per-source lines: "   peer-N   127.0.0.1:PORT   CHUNKS chunks   MIB MiB".
serving="$(grep -cE '^ +peer-[0-9]+ +[^ ]+ +[1-9][0-9]* chunks ' "$work/demo.log" || true)"
if [ "$status" -eq 0 ] && [ "$serving" -ge 2 ] && grep -q '^== OK: .* came from [0-9]* sources and is byte-identical' "$work/demo.log"; then
  ok "./demo.sh with 4 peers: a ${DEMO_FILE_MIB:-24} MiB file downloaded from $serving sources that each served chunks, bytes identical ($((SECONDS - t)) s)
$(grep -E '^ +[0-9]+ chunks|^ +peer-[0-9]+ ' "$work/demo.log" | sed 's/^ */#   /')"
else
  not_ok "./demo.sh with 4 peers downloads from at least two sources that served chunks, bytes identical" \
    "exit $status, $serving serving source(s) in its output:
$(cat "$work/demo.log")"
fi

finish
