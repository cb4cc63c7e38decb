#!/usr/bin/env bash
# A network partition of one peer and its return (issue 13, docs/security.md, Faults), TAP to $1:
#
#   tests/faults/partition.sh [TAP_FILE]      default artifacts/test-results/partition.tap
#
# Four peers, each in a network namespace of its own (PServer on 10.213.N.1i:7000, PClient-API on the namespace's
# 127.0.0.1:8080), joined by veth pairs to a bridge in a hub namespace where the Bootstrap listens (10.213.N.1:7100).
# Every address is inside namespaces this script creates; nothing is sent anywhere else. Then:
#   1. every peer links, peer-4 included, and a flood from peer-1 finds the files of peers 2, 3 and 4;
#   2. peer-4 is cut off (iptables DROP on its veth, both ways): peers 1-3 drop it within 30 s, keep neighbours among
#      themselves, and a flood from peer-1 still finds the files of peers 2 and 3;
#   3. the rules are removed: peer-4 links again and a flood from peer-1 finds its file;
#   4. nothing is left: no process, no namespace.
# Needs root, iproute2 and iptables (installed with apt-get when missing) and the built solution (tests/run.sh builds
# it first). About 60 s.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tap="$(realpath -m "${1:-$root/artifacts/test-results/partition.tap}")"
mkdir -p "$(dirname "$tap")"
. "$root/tests/tap.sh"
tap_init "$tap"

if [ "$(id -u)" -ne 0 ]; then
  tap_not_ok "runs as root (network namespaces and iptables)" "uid $(id -u)"
  tap_finish
  exit 1
fi
missing=()
command -v ip >/dev/null || missing+=(iproute2)
command -v iptables >/dev/null || missing+=(iptables)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; }
fi

bin() { echo "$root/services/$1/bin/Release/net10.0/$1.dll"; }
for dll in "$(bin P2PMesh.Bootstrap)" "$(bin P2PMesh.PServer)" "$(bin P2PMesh.PClientApi)"; do
  [ -f "$dll" ] || { tap_not_ok "the solution is built ($dll)" "run tests/run.sh, which builds it first"; tap_finish; exit 1; }
done

run="p2pm$$"
subnet="10.213.$(( $$ % 200 + 20 ))"
work="$(mktemp -d /tmp/p2pmesh-partition.XXXXXX)"
hub="$run-hub"
pids=()
namespaces=("$hub")
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  sleep 1
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  wait 2>/dev/null
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

# Namespaces: the hub with a bridge (and the Bootstrap), one per peer with a veth into the bridge.
ip netns add "$hub"
ip -n "$hub" link set lo up
ip -n "$hub" link add br0 type bridge
ip -n "$hub" addr add "$subnet.1/24" dev br0
ip -n "$hub" link set br0 up
for i in 1 2 3 4; do
  ns="$run-$i"
  namespaces+=("$ns")
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip link add "${run}v$i" netns "$ns" type veth peer name "${run}h$i" netns "$hub"
  ip -n "$ns" link set "${run}v$i" name eth0
  ip -n "$ns" addr add "$subnet.1$i/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$hub" link set "${run}h$i" master br0
  ip -n "$hub" link set "${run}h$i" up
done

start() { # NS LOG DLL ARGS...: a service in a namespace, its pid kept for cleanup
  local ns="$1" log="$2"; shift 2
  ip netns exec "$ns" dotnet "$@" >"$log" 2>&1 &
  pids+=($!)
}
unset ASPNETCORE_URLS DOTNET_URLS ASPNETCORE_HTTP_PORTS ASPNETCORE_HTTPS_PORTS
export DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning
start "$hub" "$work/bootstrap.log" "$(bin P2PMesh.Bootstrap)" --Bootstrap:ListenAddress="$subnet.1" --Bootstrap:GrpcPort=7100
for i in 1 2 3 4; do
  mkdir -p "$work/share-$i"
  head -c 4096 /dev/urandom >"$work/share-$i/part-$i.bin"
  start "$run-$i" "$work/pserver-$i.log" "$(bin P2PMesh.PServer)" --Peer:Id="peer-$i" --Peer:ListenAddress="$subnet.1$i" \
    --Peer:GrpcPort=7000 --Peer:AdvertisedAddress="$subnet.1$i:7000" --Content:ShareDirectory="$work/share-$i" \
    --Neighbours:Bootstrap="$subnet.1:7100" --Neighbours:TargetDegree=3
  start "$run-$i" "$work/api-$i.log" "$(bin P2PMesh.PClientApi)" --Peer:Id="peer-$i" --Api:ListenAddress=127.0.0.1 --Api:Port=8080 \
    --Api:PServer="$subnet.1$i:7000" --Content:ShareDirectory="$work/share-$i"
done

api() { ip netns exec "$run-$1" curl -sf --max-time 30 "http://127.0.0.1:8080$2"; }
# The neighbour ids of peer $1, space-separated.
neighbours() { api "$1" /api/peers | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).neighbours.map(n=>n.id).join(" ")))' 2>/dev/null; }
# The file names a flood from peer $1 finds for part-*.bin, sorted, space-separated.
found() { api "$1" "/api/search?q=part-*.bin&via=flood" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).files.flatMap(f=>f.names).sort().join(" ")))' 2>/dev/null; }
until_true() { # SECONDS COMMAND...: retries every second
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -lt $deadline ] || return 1; sleep 1; done
}
logs() { tail -n 15 "$work"/*.log; }
all_linked() { for i in 1 2 3 4; do [ -n "$(neighbours "$i")" ] || return 1; done; }
someone_links_4() { for i in 1 2 3; do case " $(neighbours "$i") " in *" peer-4 "*) return 0 ;; esac; done; return 1; }
finds() { [ "$(found 1)" = "$1" ]; }

if until_true 90 all_linked && until_true 30 someone_links_4 && until_true 30 finds "part-1.bin part-2.bin part-3.bin part-4.bin"; then
  tap_ok "four peers in four namespaces link up and a flood from peer-1 finds every peer's file ($(for i in 1 2 3 4; do printf 'peer-%s: %s; ' "$i" "$(neighbours "$i")"; done))"
else
  tap_not_ok "four peers in four namespaces link up and a flood from peer-1 finds every peer's file" "found: $(found 1)$(printf '\n')$(logs)"
  tap_finish
  exit 1
fi

# Partition: everything in or out of peer-4's veth is dropped (its own loopback, API to PServer, still works).
ip netns exec "$run-4" iptables -A INPUT -i eth0 -j DROP
ip netns exec "$run-4" iptables -A OUTPUT -o eth0 -j DROP
started=$SECONDS
nobody_links_4() { ! someone_links_4; }
three_linked() { for i in 1 2 3; do [ -n "$(neighbours "$i")" ] || return 1; done; }
if until_true 30 nobody_links_4; then
  tap_ok "peer-4 cut off (iptables DROP both ways on its veth): peers 1-3 dropped it after $((SECONDS - started)) s"
else
  tap_not_ok "peer-4 cut off: peers 1-3 drop it within 30 s" "$(for i in 1 2 3; do printf 'peer-%s: %s\n' "$i" "$(neighbours "$i")"; done)$(logs)"
fi
if until_true 30 three_linked && until_true 30 finds "part-1.bin part-2.bin part-3.bin"; then
  tap_ok "the mesh re-knits without peer-4: peers 1-3 keep neighbours ($(for i in 1 2 3; do printf 'peer-%s: %s; ' "$i" "$(neighbours "$i")"; done)) and a flood from peer-1 finds the files of peers 2 and 3"
else
  tap_not_ok "the mesh re-knits without peer-4" "found: $(found 1)$(printf '\n')$(for i in 1 2 3; do printf 'peer-%s: %s\n' "$i" "$(neighbours "$i")"; done)"
fi

# The partition heals.
ip netns exec "$run-4" iptables -F
started=$SECONDS
if until_true 90 someone_links_4 && until_true 30 finds "part-1.bin part-2.bin part-3.bin part-4.bin"; then
  tap_ok "the partition heals: peer-4 rejoins after $((SECONDS - started)) s (its neighbours: $(neighbours 4)) and a flood from peer-1 finds its file again"
else
  tap_not_ok "the partition heals: peer-4 rejoins within 2 min" "found: $(found 1)$(printf '\n')peer-4: $(neighbours 4)$(printf '\n')$(logs)"
fi

# Nothing left behind.
cleanup
trap - EXIT
left=""
for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left="$left $pid"; done
for ns in "${namespaces[@]}"; do ip netns list | grep -q "^$ns\b" && left="$left $ns"; done
if [ -z "$left" ]; then
  tap_ok "cleanup: no process and no namespace of run $run remains"
else
  tap_not_ok "cleanup: no process and no namespace of run $run remains" "left:$left"
fi
tap_finish
