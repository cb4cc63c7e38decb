#!/usr/bin/env bash
# The main job, end to end, on this machine: `p2pmesh up` starts a Bootstrap and N peers (PServer +
# PClient-API processes each) on loopback with real files spread over their shares; a real flood search
# from peer-1 and the same kind of search answered by the directory; then a file of many chunks (random bytes, 1 MiB chunks) is uploaded to peer-2 and peer-3
# through the API, and the last peer downloads it from both at once: the demo prints how many chunks each
# source served, requires at least two sources to have served chunks, and compares the bytes with the
# original. Everything is stopped at the end (or on Ctrl-C).
#
#   ./demo.sh [DIR_OF_REAL_FILES] [PEERS]      (defaults: /usr/share/common-licenses, 8; PEERS >= 4)
#
# Environment: DEMO_FILE_MIB, the size of the multi-source file in MiB (default 64).
# It builds the CLI and its three services first (Release, incremental: about 5 s when nothing changed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
share_from=${1:-/usr/share/common-licenses}
peers=${2:-8}
mib=${DEMO_FILE_MIB:-64}
[ "$peers" -ge 4 ] 2>/dev/null || { echo "demo.sh: PEERS must be a number >= 4 (two holders, a downloader, a searcher), not '$peers'" >&2; exit 2; }
[ "$mib" -ge 2 ] 2>/dev/null || { echo "demo.sh: DEMO_FILE_MIB must be a number >= 2, not '$mib'" >&2; exit 2; }

echo "== dotnet build -c Release services/P2PMesh.Cli   (the CLI and the services it runs; incremental)"
dotnet build -c Release services/P2PMesh.Cli -nologo -v quiet -clp:ErrorsOnly
p2pmesh() { bin/p2pmesh "$@"; }   # the checked-in wrapper of that build (README.md, Set up)
work=$(mktemp -d /tmp/p2pmesh-demo.XXXXXX)
up=""
stop() {
  if [ -n "$up" ]; then kill -TERM "$up" 2>/dev/null || true; wait "$up" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== p2pmesh up --peers $peers --share-from $share_from"
bin/p2pmesh up --peers "$peers" --share-from "$share_from" --dir "$work/mesh" --state "$work/mesh.json" --api-port 0 &
up=$!
for _ in $(seq 1 180); do [ -s "$work/mesh.json" ] && break; kill -0 "$up" 2>/dev/null || exit 1; sleep 1; done
[ -s "$work/mesh.json" ] || { echo "the mesh did not come up"; exit 1; }
# peer N's field ("api", "pserver", "id") from the state file `up` writes.
peer() { node -e "const s=require('$work/mesh.json'); console.log(s.peers[$1 - 1].$2)"; }
first=$(peer 1 api); last=$(peer "$peers" api)

echo "== p2pmesh search '*' --via flood --ttl 7   (a flood through peer-1)"
p2pmesh search '*' --via flood --ttl 7 --api "$first"
echo "== p2pmesh search '*' --via directory   (one query to the directory, where every peer keeps its index)"
p2pmesh search '*' --via directory --api "$first"

file="$work/demo-${mib}MiB.bin"
head -c $((mib * 1024 * 1024)) /dev/urandom >"$file"
sha=$(sha256sum "$file" | cut -d' ' -f1)
for n in 2 3; do
  echo "== p2pmesh put $(basename "$file") --to $(peer $n pserver)   (peer-$n, through peer-1's API: $mib chunks of 1 MiB)"
  p2pmesh put "$file" --to "$(peer $n pserver)" --api "$first" ||
    { status=$?; echo "== FAILED: p2pmesh put of the ${mib} MiB file to peer-$n exited $status (logs: $work/mesh/logs, removed on exit)"; exit "$status"; }
done

# The holders index an upload as it lands (and tell the directory); wait until a search from the downloader sees both.
holders() {
  p2pmesh search "$(basename "$file")" --json --api "$last" |
    node -e "let d='';process.stdin.on('data',c=>d+=c).on('end',()=>{const f=JSON.parse(d).files.find(f=>f.sha256==='$sha');console.log(f?new Set(f.sources.map(s=>s.address)).size:0)})"
}
for _ in $(seq 1 30); do [ "$(holders)" -ge 2 ] && break; sleep 1; done

echo "== p2pmesh get ${sha:0:16}… --out $work/got   (to peer-$peers, from every peer that holds it)"
p2pmesh get "$sha" --out "$work/got" --json --api "$last" >"$work/get.json" ||
  { status=$?; cat "$work/get.json"; echo "== FAILED: p2pmesh get ${sha:0:16}… to peer-$peers exited $status"; exit "$status"; }
# Chunks per source, from the download job's per-source counts (get --json: GetResult.download.sources).
# Prints a table, then the number of sources that served chunks on a line of its own.
report=$(node -e "
const s = require('$work/mesh.json'), d = require('$work/get.json').download;
const ids = Object.fromEntries(s.peers.map(p => [p.pserver, p.id]));
console.log('   ' + d.chunksTotal + ' chunks (' + (d.totalBytes / 1048576).toFixed(1) + ' MiB) from ' + d.sources.length + ' source(s):');
for (const x of d.sources)
  console.log('   ' + (ids[x.address] || '?').padEnd(8) + ' ' + x.address.padEnd(22) + String(x.chunks).padStart(5) + ' chunks '
    + (x.bytes / 1048576).toFixed(1).padStart(7) + ' MiB' + (x.dropped ? '  dropped: ' + x.dropped : ''));
console.log(d.sources.filter(x => x.chunks > 0).length);")
echo "$report" | sed '$d'
count=$(echo "$report" | tail -1)
got=$(node -e "console.log(require('$work/get.json').path)")
if [ "$count" -lt 2 ]; then
  echo "== FAILED: only $count source(s) served chunks; a multi-source download needs two"; exit 1
fi
if cmp -s "$file" "$got"; then
  echo "== OK: $(basename "$file") came from $count sources and is byte-identical to the original (sha256 ${sha:0:16}…)"
else
  echo "== MISMATCH between $file and $got"; exit 1
fi
