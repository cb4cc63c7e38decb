#!/usr/bin/env bash
# Builds (or reuses from cache) a LOCAL STAND-IN for mcr.microsoft.com/dotnet/aspnet:10.0 and loads it
# into podman under that very name, so the images build with no registry pull on a machine that cannot
# reach mcr.microsoft.com. It is NOT Microsoft's image: it is Debian 12 (bookworm) minbase from
# debootstrap, the libraries Microsoft's aspnet:10.0 (bookworm-slim) installs, this machine's .NET
# runtime + ASP.NET Core shared framework (from the SDK install, not the SDK itself), and the same
# non-root user `app` (UID/GID 1654) and environment (APP_UID, ASPNETCORE_HTTP_PORTS,
# DOTNET_RUNNING_IN_CONTAINER, DOTNET_VERSION, ASPNET_VERSION).
#
#   tests/containers/base-image.sh [TAG]      TAG defaults to mcr.microsoft.com/dotnet/aspnet:10.0
#
# The rootfs tarball is cached in tests/containers/.cache/ (gitignored), keyed by the runtime version,
# so later runs only `podman import` it (a few seconds). Needs root, debootstrap and podman.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tag="${1:-mcr.microsoft.com/dotnet/aspnet:10.0}"
cache="$here/.cache"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
netcore="$(ls -1 "$dotnet_root/shared/Microsoft.NETCore.App" | sort -V | tail -1)"
aspnet="$(ls -1 "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)"
[ -n "$netcore" ] && [ -n "$aspnet" ] || { echo "base-image: no .NET runtime under $dotnet_root/shared" >&2; exit 1; }

tarball="$cache/aspnet-standin-bookworm-$netcore-$aspnet.tar"
echo "base-image: LOCAL STAND-IN for $tag (Debian bookworm minbase + .NET $netcore / ASP.NET Core $aspnet from $dotnet_root, user app:1654) -- not Microsoft's image"

if [ ! -s "$tarball" ]; then
  mkdir -p "$cache"
  rootfs="$(mktemp -d "$cache/rootfs.XXXXXX")"
  trap 'rm -rf "$rootfs"' EXIT
  start=$SECONDS
  # The packages aspnet:10.0 (runtime-deps bookworm-slim) adds to Debian: TLS roots, ICU, time zones, OpenSSL, zlib.
  debootstrap --variant=minbase --include=ca-certificates,libicu72,tzdata,libssl3,zlib1g,libgcc-s1,libstdc++6 \
    bookworm "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  echo "base-image: debootstrap done in $((SECONDS - start)) s"

  # The runtime only (no SDK): the muxer, hostfxr and the two shared frameworks, where aspnet has them.
  mkdir -p "$rootfs/usr/share/dotnet/shared" "$rootfs/usr/share/dotnet/host"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$rootfs/usr/share/dotnet/"
  cp -a "$dotnet_root/host/fxr" "$rootfs/usr/share/dotnet/host/"
  mkdir -p "$rootfs/usr/share/dotnet/shared/Microsoft.NETCore.App" "$rootfs/usr/share/dotnet/shared/Microsoft.AspNetCore.App"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$netcore" "$rootfs/usr/share/dotnet/shared/Microsoft.NETCore.App/"
  cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$aspnet" "$rootfs/usr/share/dotnet/shared/Microsoft.AspNetCore.App/"
  ln -sf /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"

  # The non-root user of Microsoft's .NET 8+ images.
  chroot "$rootfs" groupadd --gid 1654 app
  chroot "$rootfs" useradd --uid 1654 --gid 1654 --create-home --shell /bin/false app

  # Slim it like the -slim images: no apt lists, caches, docs or man pages.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
         "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log
  echo "P2PMesh local stand-in for mcr.microsoft.com/dotnet/aspnet:10.0 (not Microsoft's image)" >"$rootfs/etc/p2pmesh-standin-base"

  tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  rm -rf "$rootfs"
  trap - EXIT
  echo "base-image: cached $tarball ($(du -h "$tarball" | cut -f1)) in $((SECONDS - start)) s"
else
  echo "base-image: reusing cached $tarball"
fi

previous="$(podman image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
podman import \
  --change "ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV=APP_UID=1654" \
  --change "ENV=ASPNETCORE_HTTP_PORTS=8080" \
  --change "ENV=DOTNET_RUNNING_IN_CONTAINER=true" \
  --change "ENV=DOTNET_VERSION=$netcore" \
  --change "ENV=ASPNET_VERSION=$aspnet" \
  --change "LABEL org.opencontainers.image.description=\"LOCAL STAND-IN for mcr.microsoft.com/dotnet/aspnet:10.0, built by P2PMesh tests/containers/base-image.sh: Debian bookworm minbase + .NET $netcore, user app:1654\"" \
  --message "P2PMesh local stand-in for mcr.microsoft.com/dotnet/aspnet:10.0" \
  "$tarball" "$tag" >/dev/null
# Drop the stand-in this import replaced (left untagged), unless something still uses it.
current="$(podman image inspect --format '{{.Id}}' "$tag")"
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
echo "base-image: imported as $tag (stand-in)"
