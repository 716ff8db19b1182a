#!/usr/bin/env bash
# What `npm test` needs beside node_modules: Node.js 22 or newer, real PostgreSQL servers (the pod
# scripts run against them), shellcheck (the pod scripts are linted), Go with the go-yaml
# libraries the Pulumi CLI parses stack files with, and Prometheus with promtool and
# postgres_exporter (test/chain runs the seasonal floor's query and recording rule on them). Run
# by `npm test` before anything else: when something is missing it installs Debian's packages as
# root, or names the command to run.
set -euo pipefail

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 22 ]; then
  echo "npm test needs Node.js 22 or newer (this is $(node --version)); .ci/run installs one from the npm registry." >&2
  exit 1
fi

missing=()
ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 || missing+=(postgresql)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
[ -d /usr/share/gocode/src/gopkg.in/yaml.v3 ] || missing+=(golang-gopkg-yaml.v3-dev)
[ -d /usr/share/gocode/src/gopkg.in/yaml.v2 ] || missing+=(golang-gopkg-yaml.v2-dev)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-postgres-exporter >/dev/null 2>&1 || missing+=(prometheus-postgres-exporter)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing what the tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "npm test needs Debian's ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
