#!/usr/bin/env bash
# The container proof in one command (README.md, Kubernetes; issue 7 items 1 and 5), TAP to $1:
#
#   tests/containers/run.sh [TAP_FILE]     default artifacts/test-results/containers.tap
#
# 1. installs what it needs when missing: podman, runc, netavark, aardvark-dns, iptables (netavark runs it),
#    catatonit, curl, python3, util-linux (nsenter), mawk, and for the stand-in debootstrap, gpgv,
#    debian-archive-keyring, docker-registry;
#    then a preflight: one trivial container on a throwaway podman network of this run. If that fails, one
#    "not ok" names the cause and the mesh (which needs that network) is skipped;
# 2. base-image.sh: the LOCAL STAND-IN for mcr.microsoft.com/dotnet/aspnet:10.0 (no registry pulls here);
#    set P2PMESH_BASE=mcr (e.g. on GitHub Actions) to build on Microsoft's real image instead;
# 3. build-images.sh: the three images by SDK container publishing, loaded into podman;
# 4. image checks: non-root (UID 1654), read-only root filesystem, `p2pmesh` on PATH in pclient-api;
# 5. mesh.sh: bootstrap + 5 peer pods on a podman network, search/get/peer-down through the CLI, cleanup.
# One "ok N - ..." / "not ok N - ..." line per check, then "1..N", "# pass N", "# fail M". Exit 1 on any
# failure. Every podman object carries this run's labels and is removed on every exit path.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

tap="$(realpath -m "${1:-$root/artifacts/test-results/containers.tap}")"
mkdir -p "$(dirname "$tap")"
tap_init "$tap"
started=$SECONDS
owner=$$
run="p2pmesh-ct-$owner-$(date +%s)"
work="$here/.work/$run"
mkdir -p "$work"
mesh_pid=""
tag="ct-$owner"   # images of this run get their own tag, so parallel runs don't replace each other's images

[ "$(id -u)" -eq 0 ] || { tap_not_ok "run as root (podman networks, volumes, nsenter)"; tap_finish; exit 1; }

finish() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$mesh_pid" ]; then
    kill -TERM "$mesh_pid" 2>/dev/null || true
    wait "$mesh_pid" 2>/dev/null || true
  fi
  remove_run "$run"
  if command -v podman >/dev/null; then
    for image in bootstrap pserver pclient-api; do podman rmi -f "p2pmesh/$image:$tag" >/dev/null 2>&1 || true; done
  fi
  rm -rf "$work"
  if [ "$status" -ne 0 ] && [ "$(tap_failed)" -eq 0 ]; then
    tap_not_ok "containers: run.sh stopped early (exit status $status, e.g. a signal); its objects were removed"
  fi
  echo "== containers: $((SECONDS - started)) s in all"
  tap_finish || status=1
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== install what is missing"
# Every external command the scripts here run (run.sh, lib.sh, mesh.sh, base-image.sh, build-images.sh),
# by the Debian package that has it; coreutils, tar, grep, sed, findutils and libc-bin (ldd) are Essential.
# dotnet is not installed here: tests/run.sh and .ci/run require the .NET 10 SDK.
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q ' installed$'; }   # not "config-files"
need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)             # lib.sh's containers.conf selects runc
# podman's network backend and its DNS (network aliases); both live in /usr/lib/podman, not on PATH.
installed netavark || need+=(netavark)
installed aardvark-dns || need+=(aardvark-dns)
# netavark sets up every network with iptables; without it each `podman run --network` fails with
# "netavark: No such file or directory (os error 2)". podman only Suggests it.
command -v iptables >/dev/null || need+=(iptables)
# The pause process of pod infra containers (podman Recommends it, so installs without recommends lack it).
[ -x /usr/libexec/podman/catatonit ] || command -v catatonit >/dev/null || need+=(catatonit)
command -v curl >/dev/null || need+=(curl)             # mesh.sh health probes (HTTP/2), build-images.sh
command -v python3 >/dev/null || need+=(python3)       # mesh.sh JSON checks, build-images.sh free port
command -v nsenter >/dev/null || need+=(util-linux)    # mesh.sh health probes in the containers' netns
command -v awk >/dev/null || need+=(mawk)              # lib.sh, mesh.sh
if [ "${P2PMESH_BASE:-standin}" != mcr ]; then
  command -v debootstrap >/dev/null || need+=(debootstrap)   # base-image.sh (pulls in wget)
  command -v gpgv >/dev/null || need+=(gpgv)                 # debootstrap checks the Release signature
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
  command -v docker-registry >/dev/null || need+=(docker-registry)   # build-images.sh --standin
fi
if [ ${#need[@]} -gt 0 ]; then
  t=$SECONDS
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >"$work/apt.log" 2>&1; then
    echo "installed ${need[*]} in $((SECONDS - t)) s"
  else
    tail -20 "$work/apt.log"
    tap_not_ok "install ${need[*]}" "$(tail -20 "$work/apt.log")"
    exit 1
  fi
fi
containers_conf "$work"
remove_leftovers
remove_leftover_images
for dir in "$here"/.work/p2pmesh-ct-*; do   # work directories of aborted runs
  pid="${dir##*/p2pmesh-ct-}"; pid="${pid%%-*}"
  [ -d "$dir" ] && ! kill -0 "$pid" 2>/dev/null && rm -rf "$dir"
done

# --- preflight: can a container join a podman network? ----------------------------------------------
# The mesh needs exactly this, and it fails for reasons of the machine (netavark without iptables, a
# kernel without netfilter), not of the images; so try it first, cheaply: a throwaway --internal network
# with this run's labels and one container on it running /bin/true from a 2 MB rootfs of the host's own
# /bin/true and its libraries (no image is needed yet). On failure: one "not ok" with podman's error and
# a hint, and the mesh is skipped; the image checks (--network none) still run.
labels=(--label p2pmesh.test=containers --label "p2pmesh.run=$run" --label "p2pmesh.owner=$owner")
preflight_network() {
  local rootfs="$work/preflight-rootfs" net="$run-preflight" f status=0
  mkdir -p "$rootfs"
  for f in /bin/true $(ldd /bin/true | grep -o '/[^ ]*'); do
    mkdir -p "$rootfs$(dirname "$f")" && cp -L "$f" "$rootfs$f" || return 1
  done
  podman network create --internal "${labels[@]}" "$net" >/dev/null || return 1
  podman run --rm "${labels[@]}" --name "$run-preflight" --network "$net" --rootfs "$rootfs" /bin/true || status=1
  podman network rm -f "$net" >/dev/null || status=1
  rm -rf "$rootfs"
  return "$status"
}
network_works=true
t=$SECONDS
if out="$(preflight_network 2>&1)"; then
  tap_ok "preflight: a container runs on a podman network of this run (netavark, iptables) ($((SECONDS - t)) s)"
else
  network_works=false
  cause="$(grep -m1 '^Error: ' <<<"$out")"
  [ -n "$cause" ] || cause="$(grep -v '^$' <<<"$out" | tail -1)"
  if [[ "$out" == *netavark* ]] && ! command -v iptables >/dev/null; then
    hint="netavark needs iptables, which is not on PATH: apt-get install iptables"
  elif [[ "$out" == *netavark* ]]; then
    hint="netavark failed although iptables is at $(command -v iptables): does 'iptables -L' work (kernel netfilter)?"
  else
    hint="see podman's output below"
  fi
  tap_not_ok "preflight: a container cannot join a podman network (${cause:-no error text}); $hint; the mesh checks are skipped" \
    "$out
iptables: $(command -v iptables || echo 'not on PATH'); netavark: $(installed netavark && echo installed || echo missing); PATH=$PATH"
fi

# --- base --------------------------------------------------------------------------------------------
if [ "${P2PMESH_BASE:-standin}" = mcr ]; then
  build_args=(--base mcr.microsoft.com/dotnet/aspnet:10.0)
  want_base="mcr.microsoft.com/dotnet/aspnet:10.0"
  echo "== base image: mcr.microsoft.com/dotnet/aspnet:10.0 (Microsoft's, pulled by the SDK; the image checks below check it is their base)"
else
  t=$SECONDS
  if "$here/base-image.sh" "mcr.microsoft.com/dotnet/aspnet:10.0" >"$work/base.log" 2>&1; then
    cat "$work/base.log"
    tap_ok "base image: LOCAL STAND-IN for mcr.microsoft.com/dotnet/aspnet:10.0 built and loaded (Debian bookworm minbase + this machine's .NET runtime + user app:1654; not Microsoft's image) ($((SECONDS - t)) s)"
  else
    tap_not_ok "base image: LOCAL STAND-IN for mcr.microsoft.com/dotnet/aspnet:10.0" "$(cat "$work/base.log")"
    exit 1
  fi
  build_args=(--standin)
  want_base="localhost:*/dotnet/aspnet:10.0"   # build-images.sh serves the stand-in from a loopback registry
fi

# --- images -------------------------------------------------------------------------------------------
t=$SECONDS
"$here/build-images.sh" "${build_args[@]}" --tag "$tag" --out "$work/images" --load podman 2>&1 | tee "$work/build.log"
build_status=${PIPESTATUS[0]}
echo "build-images.sh: exit $build_status in $((SECONDS - t)) s"
declare -A port=([bootstrap]=7100 [pserver]=7000 [pclient-api]=8080)
for image in bootstrap pserver pclient-api; do
  ref="p2pmesh/$image:$tag"
  config="$(podman image inspect --format '{{.Config.User}} {{range $p, $_ := .Config.ExposedPorts}}{{$p}}{{end}} {{index .Config.Labels "org.opencontainers.image.base.name"}}' "$ref" 2>/dev/null)"
  # shellcheck disable=SC2053 # $want_base is a pattern
  if [ -s "$work/images/$image.tar" ] && [ "${config%% *}" = 1654 ] && [[ "$config" == *" ${port[$image]}/tcp "* ]] && [[ "${config##* }" == $want_base ]]; then
    tap_ok "image p2pmesh/$image built by SDK container publishing and loaded (user 1654, port ${port[$image]}/tcp, base ${config##* }, $(du -h "$work/images/$image.tar" | cut -f1))"
  else
    tap_not_ok "image p2pmesh/$image built by SDK container publishing and loaded" "config: '$config' (want user 1654, port ${port[$image]}/tcp, base $want_base); build exit $build_status; $(grep -E 'error|warn' "$work/build.log" | tail -10)"
  fi
done

non_root() {
  local image uid
  for image in bootstrap pserver pclient-api; do
    uid="$(podman run --rm --read-only --read-only-tmpfs=false --network none --entrypoint id "p2pmesh/$image:$tag" -u)" || return 1
    [ "$uid" = 1654 ] || { echo "p2pmesh/$image runs as UID $uid"; return 1; }
  done
}
check "images run as non-root (UID 1654, the base's app user) on a read-only root filesystem" non_root

cli_on_path() {
  local out
  out="$(podman run --rm --read-only --read-only-tmpfs=false --network none --entrypoint sh "p2pmesh/pclient-api:$tag" -c 'command -v p2pmesh && p2pmesh --version')" || { echo "$out"; return 1; }
  echo "$out" | grep -qx /app/cli/p2pmesh || { echo "$out"; return 1; }
}
check "pclient-api image: the p2pmesh CLI is on PATH (/app/cli/p2pmesh) and runs" cli_on_path

# --- the mesh -----------------------------------------------------------------------------------------
if ! $network_works; then
  echo "# mesh: skipped, no container can join a podman network (see the preflight above)" | tee -a "$tap"
elif [ "$(tap_failed)" -eq 0 ]; then
  # In the background and waited for, so that a TERM to this script is handled at once (finish stops it).
  RUN_ID="$run" IMAGE_TAG="$tag" P2PMESH_OWNER="$owner" "$here/mesh.sh" &
  mesh_pid=$!
  wait "$mesh_pid" || true
  mesh_pid=""
else
  tap_not_ok "mesh: not started, the images are not all there"
fi

# --- self-test: a mesh whose containers die at start fails fast ----------------------------------------
# mesh.sh with MESH_SELFTEST_BREAK=exit (every container exits 3 at start, saying so in its log) and 2 peers,
# into a TAP file of its own: it must end after a bounded number of checks (the dead mesh, one line naming
# the checks not run, cleanup), with the exit code and the containers' log in its output, no Python
# traceback, and nothing of its run left behind.
# selftest_verdict DIR STATUS: mesh.sh's TAP file and output are in DIR, STATUS its exit status.
selftest_verdict() {
  local out="$1" status="$2" checks
  [ "$status" -ne 0 ] || { echo "mesh.sh succeeded with containers that exit at start"; cat "$out/log"; return 1; }
  checks="$(grep -cE '^(not )?ok ' "$out/mesh.tap" || true)"
  [ "$checks" -le 3 ] || { echo "$checks checks, want at most 3 (dead mesh, not run, cleanup):"; cat "$out/log"; return 1; }
  grep -q '^not ok 1 - mesh: .*running' "$out/mesh.tap" || { echo "the first check does not report the dead mesh:"; cat "$out/log"; return 1; }
  grep -q 'exit code 3' "$out/log" || { echo "no 'exit code 3' in mesh.sh's output:"; cat "$out/log"; return 1; }
  grep -q 'exiting at start on purpose' "$out/log" || { echo "the containers' log is not in mesh.sh's output:"; cat "$out/log"; return 1; }
  grep -q '^not ok 2 - mesh: not run, because a container is down' "$out/mesh.tap" || { echo "no line naming the checks not run:"; cat "$out/log"; return 1; }
  ! grep -q 'Traceback' "$out/log" || { echo "a Python traceback in mesh.sh's output:"; cat "$out/log"; return 1; }
  grep -q '^ok .* - cleanup: ' "$out/mesh.tap" || { echo "cleanup was not ok:"; cat "$out/log"; return 1; }
  echo "$checks checks"
}
if $network_works && [ "$(tap_failed)" -eq 0 ]; then
  t=$SECONDS
  selftest="$work/selftest"
  mkdir -p "$selftest"
  P2PMESH_TAP="$selftest/mesh.tap" RUN_ID="$run-selftest" IMAGE_TAG="$tag" P2PMESH_OWNER="$owner" PEERS=2 \
    MESH_SELFTEST_BREAK=exit "$here/mesh.sh" >"$selftest/log" 2>&1 &
  mesh_pid=$!
  selftest_status=0
  wait "$mesh_pid" || selftest_status=$?
  mesh_pid=""
  if out="$(selftest_verdict "$selftest" "$selftest_status" 2>&1)"; then
    tap_ok "self-test: with every container exiting at start (MESH_SELFTEST_BREAK=exit), mesh.sh stops after $out with the exit code and the containers' log, no traceback, nothing left ($((SECONDS - t)) s)"
  else
    tap_not_ok "self-test: with every container exiting at start, mesh.sh fails fast with the cause" "$out"
  fi
  rm -rf "$here/.work/$run-selftest"
fi
