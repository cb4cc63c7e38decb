#!/usr/bin/env bash
# Builds the three images with .NET SDK container publishing (no Dockerfile, no daemon needed to build):
#
#   p2pmesh/bootstrap     services/P2PMesh.Bootstrap   gRPC 7100
#   p2pmesh/pserver       services/P2PMesh.PServer     gRPC 7000, volume /data
#   p2pmesh/pclient-api   services/P2PMesh.PClientApi  REST 8080, volume /data, the `p2pmesh` CLI on PATH
#
# Each is `dotnet publish <project> -c Release -t:PublishContainer` with ContainerArchiveOutputPath, so the
# result is an image tarball per service in --out, which --load hands to podman or docker.
#
#   tests/containers/build-images.sh [--standin] [--base IMAGE] [--tag TAG] [--out DIR] [--load podman|docker|none]
#
#   (default)     base mcr.microsoft.com/dotnet/aspnet:10.0, pulled from mcr by the SDK (GitHub Actions)
#   --base IMAGE  another base (any registry the SDK can pull from), e.g. ...aspnet:10.0-noble-chiseled
#   --standin     machines without registry access: build the LOCAL STAND-IN base (base-image.sh), serve it
#                 from a private registry on 127.0.0.1 (Debian's docker-registry, stopped afterwards) and
#                 build on it; the images' org.opencontainers.image.base.name label then names it
#   --tag TAG     image tag (default latest)
#   --out DIR     where the tarballs go (default artifacts/images)
#   --load        podman (default when podman exists), docker, or none (tarballs only)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"

base="mcr.microsoft.com/dotnet/aspnet:10.0"
standin=false
tag="latest"
out="$root/artifacts/images"
load=""
while [ $# -gt 0 ]; do
  case "$1" in
    --standin) standin=true ;;
    --base) base="$2"; shift ;;
    --tag) tag="$2"; shift ;;
    --out) out="$2"; shift ;;
    --load) load="$2"; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//; /^set -e/d'; exit 0 ;;
    *) echo "build-images: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$load" ]; then
  if command -v podman >/dev/null; then load=podman; else load=none; fi
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

registry_pid=""
registry_dir=""
stop_registry() {
  if [ -n "$registry_pid" ]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  [ -z "$registry_dir" ] || rm -rf "$registry_dir"
}
trap stop_registry EXIT

if $standin; then
  [ -n "${CONTAINERS_CONF:-}" ] || containers_conf "$here/.work"
  # Reuse the stand-in when it is already loaded (run.sh builds it as a check of its own).
  if ! podman image inspect --format '{{index .Labels "org.opencontainers.image.description"}}' \
       mcr.microsoft.com/dotnet/aspnet:10.0 2>/dev/null | grep -q 'LOCAL STAND-IN'; then
    "$here/base-image.sh" "mcr.microsoft.com/dotnet/aspnet:10.0"
  fi
  command -v docker-registry >/dev/null || { echo "build-images: --standin needs docker-registry (apt-get install docker-registry)" >&2; exit 1; }
  # A private registry on a free loopback port: the SDK reads base images from registries only.
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  registry_dir="$(mktemp -d "${TMPDIR:-/tmp}/p2pmesh-registry.XXXXXX")"
  cat >"$registry_dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $registry_dir/data
http:
  addr: 127.0.0.1:$port
EOF
  docker-registry serve "$registry_dir/config.yml" >"$registry_dir/log" 2>&1 &
  registry_pid=$!
  eventually 10 curl -sf "http://127.0.0.1:$port/v2/" >/dev/null || { cat "$registry_dir/log" >&2; echo "build-images: registry did not start" >&2; exit 1; }
  base="localhost:$port/dotnet/aspnet:10.0"
  podman push --quiet --tls-verify=false "mcr.microsoft.com/dotnet/aspnet:10.0" "$base"
  export DOTNET_CONTAINER_INSECURE_REGISTRIES="localhost:$port"
  echo "build-images: base = $base, the LOCAL STAND-IN for mcr.microsoft.com/dotnet/aspnet:10.0 (not Microsoft's image)"
else
  echo "build-images: base = $base"
fi

for spec in bootstrap:P2PMesh.Bootstrap pserver:P2PMesh.PServer pclient-api:P2PMesh.PClientApi; do
  name="${spec%%:*}"
  project="${spec#*:}"
  start=$SECONDS
  tarball="$out/$name.tar"
  rm -f "$tarball"
  dotnet publish "$root/services/$project/$project.csproj" -c Release -t:PublishContainer -warnaserror -nologo -clp:NoSummary \
    -p:ContainerBaseImage="$base" -p:ContainerImageTag="$tag" -p:ContainerArchiveOutputPath="$tarball"
  [ -s "$tarball" ] || { echo "build-images: no $tarball" >&2; exit 1; }
  echo "build-images: p2pmesh/$name:$tag -> $tarball ($(du -h "$tarball" | cut -f1), $((SECONDS - start)) s)"
  case "$load" in
    podman|docker) "$load" load --quiet -i "$tarball" ;;
    none) ;;
    *) echo "build-images: --load must be podman, docker or none" >&2; exit 2 ;;
  esac
done
