#!/usr/bin/env bash
# The container mesh proof: a Bootstrap and N peers (default 5) from the p2pmesh/* images on a podman
# network, each peer a podman pod (one network namespace, like a Kubernetes pod) holding a `pserver` and a
# `pclient-api` container that share a named volume at /data, every container with a read-only root
# filesystem and a tmpfs /tmp. All peers share the network alias `peers`, which resolves like the
# headless Service of the StatefulSet and is every PServer's Neighbours:DnsSeed. Then, through
# `podman exec <peer-1 pclient-api> p2pmesh ...`: search finds the files seeded in the other peers'
# volumes, get fetches one (sha256 checked), one peer pod is stopped and a search still succeeds
# through the rest. Everything of the run is removed at the end, whatever happens.
#
#   tests/containers/mesh.sh [TAP_FILE]      images p2pmesh/{bootstrap,pserver,pclient-api}:$IMAGE_TAG
#
# Environment: IMAGE_TAG (latest), PEERS (5), RUN_ID (generated), P2PMESH_TAP (set by run.sh: the checks
# are appended there and run.sh writes the plan; otherwise this script writes TAP_FILE or ./mesh.tap
# itself), KEEP (set: leave the mesh running for debugging), MESH_SELFTEST_BREAK (self-test of the fail-fast
# path, run by run.sh: `exit` makes every container exit 3 at start, `entrypoint` gives them a missing
# entrypoint, so podman itself fails to start them). Needs root, podman (netavark + aardvark-dns), curl with
# HTTP/2, nsenter, python3.
#
# Fails fast: every check first makes sure each container of the mesh is still running. Once one is not,
# that check is "not ok" with the cause (state, exit code, podman's error, the last log lines), the later
# checks are not run, and one more "not ok" names them with that cause; then the cleanup check.
# Traffic stays inside the network and namespaces this script creates: the health probes run curl in
# the containers' own network namespaces (nsenter -n) against 127.0.0.1.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

tag="${IMAGE_TAG:-latest}"
peers="${PEERS:-5}"
owner="${P2PMESH_OWNER:-$$}"
run="${RUN_ID:-p2pmesh-ct-$owner-$(date +%s)}"
work="$here/.work/$run/mesh"
mkdir -p "$work"
[ -n "${CONTAINERS_CONF:-}" ] || containers_conf "$work"

standalone=false
if [ -z "${P2PMESH_TAP:-}" ]; then
  standalone=true
  tap_init "$(realpath -m "${1:-$PWD/mesh.tap}")"
fi

labels=(--label p2pmesh.test=containers --label "p2pmesh.run=$run" --label "p2pmesh.owner=$owner")
net="$run-net"
bootstrap="$run-bootstrap"
pod() { echo "$run-peer$1"; }
api() { echo "$run-peer$1-api"; }
pserver() { echo "$run-peer$1-pserver"; }
vol() { echo "$run-peer$1-data"; }
# The hardening every container gets: read-only root, only /tmp writable (tmpfs), as in the pod spec.
hardening=(--read-only --read-only-tmpfs=false --tmpfs /tmp:rw,size=64m,mode=1777 --cap-drop=ALL --security-opt no-new-privileges)
# MESH_SELFTEST_BREAK: containers that die at start on purpose (options before the image, command after it).
case "${MESH_SELFTEST_BREAK:-}" in
  "") broken_entrypoint=(); broken_command=() ;;
  exit) broken_entrypoint=(--entrypoint /bin/sh)
        broken_command=(-c 'echo "mesh self-test: exiting at start on purpose (MESH_SELFTEST_BREAK=exit)" >&2; exit 3') ;;
  entrypoint) broken_entrypoint=(--entrypoint /nonexistent/p2pmesh-selftest); broken_command=() ;;
  *) echo "mesh.sh: MESH_SELFTEST_BREAK must be exit or entrypoint, not '$MESH_SELFTEST_BREAK'" >&2; exit 2 ;;
esac

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "${KEEP:-}" ]; then
    echo "KEEP set: leaving run $run in place; remove it with: . tests/containers/lib.sh; remove_run $run"
  else
    echo "== cleanup: removing run $run"
    remove_run "$run"
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS
elapsed() { echo "$((SECONDS - started)) s"; }

# p2pmesh in peer $1's pclient-api container.
cli() {
  local peer="$1"
  shift
  podman exec "$(api "$peer")" p2pmesh "$@"
}

# grpc.health.v1.Health/Check (service "") on 127.0.0.1:$2 inside the network namespace of container
# $1, with curl speaking HTTP/2 (h2c prior knowledge). Prints the response message in hex; SERVING is
# 0000000002 0801 (uncompressed, 2 bytes, field 1 = 1).
grpc_health() {
  local pid
  pid="$(podman inspect --format '{{.State.Pid}}' "$1")" || return 1
  [ "$pid" -gt 0 ] 2>/dev/null || { echo "container $1 is not running"; return 1; }
  printf '\0\0\0\0\0' >"$work/health-request"
  nsenter -t "$pid" -n curl -sS --max-time 3 --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$work/health-request" "http://127.0.0.1:$2/grpc.health.v1.Health/Check" | od -An -tx1 | tr -d ' \n'
}

serving() {
  local got
  got="$(grpc_health "$1" "$2")"
  [ "$got" = "00000000020801" ] || { echo "$1:$2 grpc.health.v1.Health/Check answered '$got', not SERVING (00000000020801)"; return 1; }
}

# podman run -d NAME ARGS...: starts container NAME; podman's own error, if any, goes to $work/podman-run.err.
start_container() {
  local name="$1" err
  shift
  if ! err="$(podman run -d --name "$name" "$@" 2>&1 >/dev/null)"; then
    printf 'podman run %s: %s\n' "$name" "$(grep -v '^$' <<<"$err" | tail -3 | tr '\n' ' ')" >>"$work/podman-run.err"
  fi
}

# Evaluates the Python expression $1 over the JSON read from stdin (bound to d) and prints the result. What
# is not the JSON expected (empty, an error text, a missing field) is one line on stderr and exit 1, never a
# traceback.
json_eval() {
  python3 -c '
import json, sys
raw = sys.stdin.read()
try:
    d = json.loads(raw)
    print(eval(sys.argv[1], {"d": d}))
except Exception as e:
    sys.exit("not the JSON expected (%s: %s): %.200r" % (type(e).__name__, e, raw))
' "$1"
}

# The containers that must be running (peer 3's are taken out when its pod is stopped on purpose).
watched=()
# Succeeds while every watched container runs. Otherwise writes the cause to $work/broken (first line: a
# summary; then podman's errors and the last log lines of the dead containers), prints it, and fails; and
# keeps failing from then on.
all_alive() {
  local listed c dead=() summary=""
  [ -f "$work/broken" ] && { cat "$work/broken"; return 1; }
  listed="$(podman ps -a --filter "label=p2pmesh.run=$run" --format '{{.Names}}|{{.Status}}')" || return 0   # podman hiccup: no verdict
  for c in "${watched[@]}"; do
    case "$(grep -m1 "^$c|" <<<"$listed" | cut -d'|' -f2)" in
      Up*) ;;
      "") dead+=("$c"); [ ${#dead[@]} -gt 2 ] || summary+="${summary:+; }$c was never created" ;;
      *) dead+=("$c"); [ ${#dead[@]} -gt 2 ] ||
           summary+="${summary:+; }$c is $(podman inspect --format '{{.State.Status}} (exit code {{.State.ExitCode}}){{if .State.Error}}, podman: {{.State.Error}}{{end}}' "$c" 2>&1 | head -1)" ;;
    esac
  done
  [ ${#dead[@]} -eq 0 ] && return 0
  [ ${#dead[@]} -le 2 ] || summary+="; and $((${#dead[@]} - 2)) more"
  {
    echo "${#dead[@]} of ${#watched[@]} containers not running: $summary"
    [ -s "$work/podman-run.err" ] && cat "$work/podman-run.err"
    logs_of "${dead[@]:0:2}"
  } >"$work/broken.tmp"
  mv "$work/broken.tmp" "$work/broken"
  cat "$work/broken"
  return 1
}
# Every `eventually` below gives up at once when a container died (lib.sh).
EVENTUALLY_ABORT=all_alive

# still_up NAME: run check NAME? Not once a container died: NAME is then noted for the closing "not ok".
not_run=()
still_up() {
  all_alive >/dev/null 2>&1 && return 0
  not_run+=("$1")
  return 1
}

logs_of() {
  local c
  for c in "$@"; do
    echo "--- podman logs $c (last 15 lines)"
    podman logs --tail 15 "$c" 2>&1
  done
}

echo "== mesh: run $run, $peers peers, images p2pmesh/{bootstrap,pserver,pclient-api}:$tag"
remove_leftovers

for image in bootstrap pserver pclient-api; do
  podman image exists "p2pmesh/$image:$tag" || { tap_not_ok "mesh: image p2pmesh/$image:$tag is present" "run build-images.sh first"; exit 1; }
done

# --- network, volumes with seeded files, bootstrap, peers -------------------------------------------
podman network create --internal "${labels[@]}" "$net" >/dev/null || { tap_not_ok "mesh: create podman network $net"; exit 1; }

declare -A file_sha file_peer
common_sha=""
for i in $(seq 1 "$peers"); do
  podman volume create "${labels[@]}" "$(vol "$i")" >/dev/null
  mp="$(podman volume inspect --format '{{.Mountpoint}}' "$(vol "$i")")"
  mkdir -p "$mp/share"
  # A distinct file per peer: 2.5 MiB of random bytes, three 1 MiB chunks.
  head -c $((2560 * 1024)) /dev/urandom >"$mp/share/data-peer$i.bin"
  file_sha[$i]="$(sha256sum "$mp/share/data-peer$i.bin" | cut -d' ' -f1)"
  file_peer[${file_sha[$i]}]=$i
  # The same 3 MiB file on peers 2 and 3: a download with two sources.
  if [ "$i" -eq 2 ] || [ "$i" -eq 3 ]; then
    [ -f "$work/common.bin" ] || head -c $((3 * 1024 * 1024)) /dev/urandom >"$work/common.bin"
    cp "$work/common.bin" "$mp/share/common.bin"
    common_sha="$(sha256sum "$work/common.bin" | cut -d' ' -f1)"
  fi
  # The images run as app (1654); on Kubernetes, fsGroup does this for the volume.
  chown -R 1654:1654 "$mp"
done
echo "seeded: $(for i in $(seq 1 "$peers"); do printf 'peer%s data-peer%s.bin %s; ' "$i" "$i" "${file_sha[$i]:0:12}"; done)common.bin on peers 2,3 ${common_sha:0:12}"

start_container "$bootstrap" "${labels[@]}" --network "$net" --network-alias bootstrap "${hardening[@]}" \
  "${broken_entrypoint[@]}" "p2pmesh/bootstrap:$tag" "${broken_command[@]}"

for i in $(seq 1 "$peers"); do
  # One network namespace per peer, reachable as peer<i> and, with every other peer, as `peers`.
  podman pod create --name "$(pod "$i")" "${labels[@]}" --hostname "peer$i" \
    --network "$net" --network-alias peers --network-alias "peer$i" >/dev/null
  bootstrap_env=(-e Neighbours__Bootstrap=bootstrap:7100)
  # The last peer knows no bootstrap: it can only find the others through the `peers` alias (DNS seed).
  [ "$i" -eq "$peers" ] && bootstrap_env=()
  start_container "$(pserver "$i")" --pod "$(pod "$i")" "${labels[@]}" "${hardening[@]}" -v "$(vol "$i"):/data" \
    -e "Peer__Id=peer$i" -e "Peer__AdvertisedAddress=peer$i:7000" \
    "${bootstrap_env[@]}" -e Neighbours__DnsSeed=peers -e Neighbours__TargetDegree=3 \
    "${broken_entrypoint[@]}" "p2pmesh/pserver:$tag" "${broken_command[@]}"
  start_container "$(api "$i")" --pod "$(pod "$i")" "${labels[@]}" "${hardening[@]}" -v "$(vol "$i"):/data" \
    "${broken_entrypoint[@]}" "p2pmesh/pclient-api:$tag" "${broken_command[@]}"
done
echo "started bootstrap + $peers pods ($((1 + 2 * peers)) containers) in $(elapsed)"

all_containers=("$bootstrap")
for i in $(seq 1 "$peers"); do all_containers+=("$(pserver "$i")" "$(api "$i")"); done
watched=("${all_containers[@]}")

# --- healthy ------------------------------------------------------------------------------------------
running_read_only() {
  local c state ro
  for c in "${all_containers[@]}"; do
    state="$(podman inspect --format '{{.State.Status}} {{.HostConfig.ReadonlyRootfs}} {{.Config.User}}' "$c")"
    [ "$state" = "running true 1654" ] || { echo "$c: $state (want: running true 1654)"; return 1; }
  done
}
# The first check does not go through still_up: it is the one that reports a mesh dead at start.
check "mesh: bootstrap + $peers peer pods ($((1 + 2 * peers)) containers) running as UID 1654 on read-only root filesystems" \
  eventually 10 running_read_only

all_serving() {
  local i
  serving "$bootstrap" 7100 || return 1
  for i in $(seq 1 "$peers"); do serving "$(pserver "$i")" 7000 || return 1; done
}
if ! still_up "health (grpc.health.v1 SERVING)"; then :
elif eventually 60 all_serving >"$work/out" 2>&1; then
  tap_ok "mesh: grpc.health.v1.Health/Check is SERVING on the bootstrap (7100) and all $peers PServers (7000) ($(elapsed))"
else
  tap_not_ok "mesh: grpc.health.v1.Health/Check is SERVING on the bootstrap and all $peers PServers" "$(cat "$work/out"; logs_of "$bootstrap" "$(pserver 1)")"
fi

all_ready() {
  local i
  for i in $(seq 1 "$peers"); do cli "$i" status --json >/dev/null || { echo "peer$i: p2pmesh status failed"; cli "$i" status; return 1; }; done
}
if ! still_up "readiness (p2pmesh status)"; then :
elif eventually 90 all_ready >"$work/out" 2>&1; then
  tap_ok "mesh: 'p2pmesh status' is ready in all $peers pclient-api containers (API /readyz -> its PServer at 127.0.0.1:7000) ($(elapsed))"
else
  tap_not_ok "mesh: 'p2pmesh status' is ready in all $peers pclient-api containers" "$(cat "$work/out"; logs_of "$(api 1)")"
fi

# --- discovery through the alias --------------------------------------------------------------------
alias_resolves() {
  local n
  n="$(podman exec "$(pserver 1)" getent ahostsv4 peers | awk '{print $1}' | sort -u | wc -l)"
  [ "$n" -eq "$peers" ] || { echo "'peers' resolves to $n addresses, want $peers"; podman exec "$(pserver 1)" getent ahostsv4 peers; return 1; }
}
# podman's DNS (aardvark-dns) may answer empty for a moment while it reloads after containers join the
# network, as cluster DNS lags a new pod: the alias must resolve to every peer within 30 s.
if still_up "discovery (the alias 'peers')"; then
  check "mesh: the network alias 'peers' resolves to all $peers peer pods (headless-Service stand-in)" eventually 30 alias_resolves
fi

neighbours_json() { cli "$1" peers --json; }
all_linked() {
  local i n
  for i in $(seq 1 "$peers"); do
    n="$(neighbours_json "$i" | json_eval 'len(d["neighbours"])')" || return 1
    [ "$n" -ge 1 ] || { echo "peer$i has no neighbours"; return 1; }
  done
}
if ! still_up "neighbours"; then :
elif eventually 120 all_linked >"$work/out" 2>&1; then
  detail="$(for i in $(seq 1 "$peers"); do printf 'peer%s:%s ' "$i" "$(neighbours_json "$i" | json_eval '",".join(sorted(n["id"] for n in d["neighbours"]))' 2>&1)"; done)"
  tap_ok "mesh: every peer has neighbours; peer$peers (no bootstrap, DnsSeed=peers only) found them through the alias ($detail) ($(elapsed))"
else
  tap_not_ok "mesh: every peer has neighbours, peer$peers through the alias only" "$(cat "$work/out"; logs_of "$(pserver "$peers")")"
fi

# --- search and get through the CLI in a container ----------------------------------------------------
# Prints the peers (by seeded file) whose data-peer<i>.bin a search from peer 1 found with the right hash.
found_peers() {
  cli 1 search 'data-peer*.bin' --json >"$work/search.json" || return 1
  python3 - "$work/search.json" "$(for i in $(seq 1 "$peers"); do printf '%s=%s ' "${file_sha[$i]}" "$i"; done)" <<'EOF'
import json, sys
raw = open(sys.argv[1]).read()
try:
    result = json.loads(raw)
    expected = dict(pair.split("=") for pair in sys.argv[2].split())
    found = sorted(int(expected[f["sha256"]]) for f in result["files"] if f["sha256"] in expected)
except Exception as e:
    sys.exit("not the JSON of a search (%s: %s): %.200r" % (type(e).__name__, e, raw))
print(" ".join(map(str, found)))
EOF
}
want_others() {
  local want="$1" got
  got="$(found_peers)" || { echo "search failed"; cat "$work/search.json"; return 1; }
  for p in $want; do
    [[ " $got " == *" $p "* ]] || { echo "search from peer1 found files of peers [$got], missing peer$p"; return 1; }
  done
  echo "$got"
}
others="$(seq -s ' ' 2 "$peers")"
if ! still_up "search"; then :
elif eventually 30 want_others "$others" >"$work/out" 2>&1; then
  tap_ok "search: 'podman exec peer1-api p2pmesh search data-peer*.bin' finds the files seeded in peers $others with their sha256 ($(elapsed))"
else
  tap_not_ok "search: p2pmesh search in peer1 finds the files seeded in peers $others" "$(cat "$work/out")"
fi

get_and_verify() {
  local sha="$1" name="$2" mp got
  cli 1 get "$sha" --json >"$work/get.json" || { cat "$work/get.json"; return 1; }
  mp="$(podman volume inspect --format '{{.Mountpoint}}' "$(vol 1)")"
  [ -f "$mp/share/$name" ] || { echo "no $name in peer1's share:"; ls -la "$mp/share"; cat "$work/get.json"; return 1; }
  got="$(sha256sum "$mp/share/$name" | cut -d' ' -f1)"
  [ "$got" = "$sha" ] || { echo "sha256 of the fetched $name is $got, want $sha"; return 1; }
  json_eval 'str(len(d.get("download", d)["sources"])) + " source(s): " + ", ".join(s["address"] for s in d.get("download", d)["sources"])' <"$work/get.json"
}
target=$((peers > 3 ? 4 : peers))
if ! still_up "get data-peer$target.bin"; then :
elif out="$(get_and_verify "${file_sha[$target]}" "data-peer$target.bin" 2>&1)"; then
  tap_ok "get: 'p2pmesh get <sha256 of data-peer$target.bin>' in peer1 lands the file in peer1's volume with a matching sha256 ($out)"
else
  tap_not_ok "get: p2pmesh get fetches data-peer$target.bin into peer1 with a matching sha256" "$out"
fi
if ! still_up "get common.bin (two sources)"; then :
elif out="$(get_and_verify "$common_sha" common.bin 2>&1)"; then
  tap_ok "get: common.bin (on peers 2 and 3) fetched into peer1 with a matching sha256 ($out)"
else
  tap_not_ok "get: common.bin (on peers 2 and 3) fetched into peer1 with a matching sha256" "$out"
fi

# --- one peer down ------------------------------------------------------------------------------------
stopped=3
remaining="$(seq -s ' ' 2 "$peers" | tr ' ' '\n' | grep -vx "$stopped" | tr '\n' ' ')"
if still_up "peer down"; then
  podman pod stop -t 5 "$(pod "$stopped")" >/dev/null
  # Its two containers stop on purpose: no longer watched.
  watched=("$bootstrap")
  for i in $(seq 1 "$peers"); do [ "$i" -eq "$stopped" ] || watched+=("$(pserver "$i")" "$(api "$i")"); done
  if [ "$(podman inspect --format '{{.State.Status}}' "$(pserver "$stopped")")" != "running" ] &&
     eventually 40 want_others "$remaining" >"$work/out" 2>&1; then
    tap_ok "peer down: with pod peer$stopped stopped, a search from peer1 still finds the files of peers ${remaining% } through the rest ($(elapsed))"
  else
    tap_not_ok "peer down: with pod peer$stopped stopped, a search from peer1 still finds the files of peers ${remaining% }" "$(cat "$work/out")"
  fi
fi

# Failed fast: the checks not run, in one line, with the one cause.
if [ ${#not_run[@]} -gt 0 ]; then
  tap_not_ok "mesh: not run, because a container is down ($(head -1 "$work/broken")): $(IFS=,; echo "${not_run[*]}" | sed 's/,/, /g')" \
    "$(cat "$work/broken")"
fi

# How often neighbour links were dropped for missed pings (2 s deadline), and the first drops of each peer:
# dropping the stopped peer is expected; more means CPU starvation of this 2-core machine (or a real problem).
echo "# neighbour drops (missed pings): $(for i in $(seq 1 "$peers"); do printf 'peer%s=%s ' "$i" "$(podman logs "$(pserver "$i")" 2>&1 | grep -c 'Dropped neighbour')"; done)" |
  tee -a "$P2PMESH_TAP"
for i in $(seq 1 "$peers"); do
  podman logs "$(pserver "$i")" 2>&1 | grep 'Dropped neighbour' | head -n 5 | sed "s/^ */#   peer$i: /"
done | tee -a "$P2PMESH_TAP"

# --- cleanup ------------------------------------------------------------------------------------------
[ -z "${KEEP:-}" ] || exit 0   # cleanup (the EXIT trap) says how to remove the run later
trap - EXIT
remove_run "$run"
rm -rf "$work"
left="$(count_run_objects "$run")"
if [ "$left" -eq 0 ]; then
  tap_ok "cleanup: no containers, pods, volumes or networks of run $run remain ($(elapsed) for the whole mesh proof)"
else
  tap_not_ok "cleanup: no containers, pods, volumes or networks of run $run remain" "$left objects left: $(podman ps -a --filter "label=p2pmesh.run=$run" --format '{{.Names}}')"
fi

if $standalone; then
  tap_finish
else
  [ "$(tap_failed)" -eq 0 ]
fi
