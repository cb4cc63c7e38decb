#!/usr/bin/env bash
# The main job, end to end, on this machine: `p2pmesh up` starts a Bootstrap and N peers (PServer +
# PClient-API processes each) on loopback with real files spread over their shares; then a real flood
# search from one peer, a real multi-source download to another, and a byte-for-byte check against the
# original file. Everything is stopped at the end (or on Ctrl-C).
#
#   ./demo.sh [DIR_OF_REAL_FILES] [PEERS]      (defaults: /usr/share/common-licenses, 8)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
share_from=${1:-/usr/share/common-licenses}
peers=${2:-8}

echo "== building (Release)"
dotnet build -c Release P2PMesh.sln -nologo -v quiet -clp:ErrorsOnly
cli=(dotnet services/P2PMesh.Cli/bin/Release/net10.0/P2PMesh.Cli.dll)
work=$(mktemp -d /tmp/p2pmesh-demo.XXXXXX)

echo "== p2pmesh up --peers $peers --share-from $share_from"
"${cli[@]}" up --peers "$peers" --share-from "$share_from" --dir "$work/mesh" --state "$work/mesh.json" --api-port 0 &
up=$!
trap 'kill -TERM $up 2>/dev/null || true; wait $up 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 180); do [ -s "$work/mesh.json" ] && break; kill -0 $up 2>/dev/null || exit 1; sleep 1; done
[ -s "$work/mesh.json" ] || { echo "the mesh did not come up"; exit 1; }
api() { node -e "const s=require('$work/mesh.json'); console.log(s.peers[$1].api)"; }
first=$(api 0); last=$(api $((peers - 1)))

echo "== p2pmesh search '*' --ttl 7   (through peer-1)"
"${cli[@]}" search '*' --ttl 7 --api "$first"
pick=$("${cli[@]}" search '*' --ttl 7 --json --api "$first" |
  node -e "let d='';process.stdin.on('data',c=>d+=c).on('end',()=>{const f=JSON.parse(d).files.sort((a,b)=>b.size-a.size)[0];console.log(f.sha256+' '+f.names[0])})")
sha=${pick%% *}; name=${pick#* }

echo "== p2pmesh get $sha --out $work/got   (to peer-$peers: $name)"
"${cli[@]}" get "$sha" --out "$work/got" --api "$last"

original=$(find "$share_from" -type f -name "$(basename "$name")" | head -1)
got=$(find "$work/got" -type f | head -1)
if cmp -s "$original" "$got"; then
  echo "== OK: $(basename "$got") is byte-identical to $original (sha256 $(sha256sum "$got" | cut -c1-16)…)"
else
  echo "== MISMATCH between $original and $got"; exit 1
fi
