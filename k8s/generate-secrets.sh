#!/usr/bin/env bash
# Writes the secrets the kustomize components read, which are never committed (k8s/components/.gitignore):
#   components/directory-auth/secrets/directory.env   peer-<i>=<48 random alphanumerics>, i = 0 … PEERS-1
#   components/mom/secrets/mom.env                     username=p2pmesh, password=<32>, erlang-cookie=<48>
# Values already there are kept (a peer keeps its key, the broker its password: RabbitMQ applies the
# user only on its first boot); only missing ones are generated. Run it again after scaling up. Values
# stay at most 48 characters: kustomize wraps longer base64 data over several lines.
#
#   k8s/generate-secrets.sh [PEERS]     PEERS: the peer StatefulSet's replicas (default 3)
set -euo pipefail

peers="${1:-3}"
[[ "$peers" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "usage: $0 [PEERS] (1-999)" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
umask 077

# N random alphanumerics (URI-safe: the broker password goes into amqp://user:password@host).
random() {
  local out=""
  while [ "${#out}" -lt "$1" ]; do
    out+="$(head -c 512 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"
  done
  printf '%s' "${out:0:$1}"
}

# Appends KEY=<random N> to FILE unless FILE already has KEY.
ensure() {
  local file="$1" key="$2" value="$3"
  mkdir -p "$(dirname "$file")"
  touch "$file"
  if ! grep -q "^${key}=" "$file"; then
    printf '%s=%s\n' "$key" "$value" >>"$file"
    echo "generated $key in ${file#"$here"/}"
  fi
}

for ((i = 0; i < peers; i++)); do
  ensure "$here/components/directory-auth/secrets/directory.env" "peer-$i" "$(random 48)"
done
ensure "$here/components/mom/secrets/mom.env" username p2pmesh
ensure "$here/components/mom/secrets/mom.env" password "$(random 32)"
ensure "$here/components/mom/secrets/mom.env" erlang-cookie "$(random 48)"
