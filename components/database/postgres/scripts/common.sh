#!/usr/bin/env bash
# Shared settings and helpers for the ReplicatedPostgres pod scripts.
# Sourced by primary-start.sh, replica-start.sh, slot-janitor.sh and ready.sh; never run directly.
# Every setting is an environment variable; README.md lists each one with its meaning and default.

set -Eeuo pipefail
umask 0077

BALLAST_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BALLAST_ROLE_NAME="${BALLAST_ROLE_NAME:-postgres}"

: "${PGDATA:=/var/lib/postgresql/data/pgdata}"
: "${PGPORT:=5432}"
: "${POSTGRES_USER:=postgres}"
: "${BALLAST_CONF_DIR:=$BALLAST_SCRIPT_DIR}"
: "${BALLAST_SOCKET_DIR:=/var/run/postgresql}"
: "${BALLAST_LISTEN_ADDRESSES:=*}"
: "${BALLAST_RUN_DIR:=/tmp/ballast}"
: "${BALLAST_REPLICATION_USER:=replicator}"
: "${BALLAST_MAX_REPLICAS:=10}"
: "${BALLAST_MAX_CONNECTIONS:=100}"
: "${BALLAST_MAX_WAL_SIZE:=1GB}"
: "${BALLAST_WAL_KEEP_SIZE:=128MB}"
: "${BALLAST_MAX_SLOT_WAL_KEEP_SIZE:=1GB}"
: "${BALLAST_SYNC_STANDBYS:=0}"
: "${BALLAST_SYNCHRONOUS_COMMIT:=on}"
: "${BALLAST_HOT_STANDBY_FEEDBACK:=on}"
: "${BALLAST_HBA_CIDRS:=0.0.0.0/0 ::/0}"
: "${BALLAST_EXTRA_CONF:=}"
export PGDATA PGPORT

log() {
  printf '%s ballast-%s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$BALLAST_ROLE_NAME" "$*" >&2
}

die() {
  log "error: $*"
  exit 1
}

require_env() {
  local name
  for name in "$@"; do
    [[ -n "${!name:-}" ]] || die "environment variable $name is required and empty"
  done
}

require_uint() {
  local name="$1"
  [[ "${!name}" =~ ^[0-9]+$ ]] || die "$name must be a non-negative integer, got '${!name}'"
}

# A PostgreSQL size setting: a number with a unit (kB, MB, GB, TB), or -1 where the setting allows it.
require_size() {
  local name="$1"
  [[ "${!name}" =~ ^(-1|[0-9]+(kB|MB|GB|TB))$ ]] || die "$name must be a size like 512MB or 2GB, got '${!name}'"
}

# Physical replication slot names allow only [a-z0-9_] and at most 63 characters. Pod names are DNS
# labels ([a-z0-9-], at most 63 characters), so replacing '-' by '_' is one-to-one.
slot_name_for() {
  local name="${1,,}"
  name="${name//[^a-z0-9_]/_}"
  [[ ${#name} -le 63 ]] || die "pod name '$1' gives slot name '$name' longer than 63 characters"
  printf '%s' "$name"
}

# Quote a value for postgresql.conf: single quotes, embedded quotes doubled.
conf_quote() {
  local v="${1//\'/\'\'}"
  printf "'%s'" "$v"
}

# Render a template from BALLAST_CONF_DIR: every ${NAME} is replaced by that variable's value.
render_template() {
  local file="$BALLAST_CONF_DIR/$1" line out=""
  [[ -r "$file" ]] || die "template $file is missing"
  while IFS= read -r line || [[ -n "$line" ]]; do
    while [[ "$line" =~ \$\{([A-Za-z_][A-Za-z0-9_]*)\} ]]; do
      local var="${BASH_REMATCH[1]}"
      line="${line//"\${$var}"/${!var-}}"
    done
    out+="$line"$'\n'
  done <"$file"
  printf '%s' "$out"
}

# psql against the local server over its Unix socket (pg_hba trusts local connections).
local_psql() {
  psql -X -A -t -q -v ON_ERROR_STOP=1 -h "$BALLAST_SOCKET_DIR" -p "$PGPORT" -U "$POSTGRES_USER" -d postgres "$@"
}

# The pg_hba.conf every pod writes on start: local socket trusted (only processes inside the pod reach
# it), everything over TCP authenticated with SCRAM; which pods may open TCP connections at all is the
# NetworkPolicy's job.
write_hba() {
  local cidr hba
  hba="# Written by Ballast on every start; edits are overwritten.
local   all          all                       trust
"
  for cidr in $BALLAST_HBA_CIDRS; do
    hba+="host    replication  ${BALLAST_REPLICATION_USER}  ${cidr}  scram-sha-256
host    all          all                       ${cidr}  scram-sha-256
"
  done
  printf '%s' "$hba" >"$PGDATA/pg_hba.conf"
}

# Settings shared by primary and replicas (a standby needs max_connections, max_wal_senders and the
# like at least as high as its primary's, so both render the same values).
write_conf() {
  local role="$1" body
  BALLAST_MAX_WAL_SENDERS="${BALLAST_MAX_WAL_SENDERS:-$((BALLAST_MAX_REPLICAS + 2))}"
  BALLAST_MAX_REPLICATION_SLOTS="${BALLAST_MAX_REPLICATION_SLOTS:-$((BALLAST_MAX_REPLICAS + 2))}"
  BALLAST_Q_LISTEN_ADDRESSES="$(conf_quote "$BALLAST_LISTEN_ADDRESSES")"
  BALLAST_Q_SOCKET_DIR="$(conf_quote "$BALLAST_SOCKET_DIR")"
  body="$(render_template postgresql.common.conf)"$'\n'"$(render_template "postgresql.$role.conf")"
  if [[ -n "$BALLAST_EXTRA_CONF" ]]; then
    body+=$'\n# BALLAST_EXTRA_CONF\n'"$BALLAST_EXTRA_CONF"
  fi
  printf '%s\n' "$body" >"$PGDATA/ballast.conf"
  # postgresql.conf comes from initdb (or from the primary, through the base backup); it includes
  # ballast.conf once, at its end, so these settings win over initdb's defaults.
  if ! grep -q "^include_if_exists = 'ballast.conf'" "$PGDATA/postgresql.conf"; then
    printf "\n# Ballast settings (rewritten on every start)\ninclude_if_exists = 'ballast.conf'\n" >>"$PGDATA/postgresql.conf"
  fi
}

validate_common() {
  require_uint PGPORT
  require_uint BALLAST_MAX_REPLICAS
  require_uint BALLAST_MAX_CONNECTIONS
  require_uint BALLAST_SYNC_STANDBYS
  require_size BALLAST_MAX_WAL_SIZE
  require_size BALLAST_WAL_KEEP_SIZE
  require_size BALLAST_MAX_SLOT_WAL_KEEP_SIZE
  [[ "$BALLAST_MAX_REPLICAS" -ge 1 ]] || die "BALLAST_MAX_REPLICAS must be >= 1, got $BALLAST_MAX_REPLICAS"
  [[ "$BALLAST_MAX_SLOT_WAL_KEEP_SIZE" != "-1" ]] ||
    die "BALLAST_MAX_SLOT_WAL_KEEP_SIZE must be a size, not -1: an uncapped slot can fill the primary's disk"
  [[ "$BALLAST_REPLICATION_USER" =~ ^[a-z_][a-z0-9_]*$ ]] ||
    die "BALLAST_REPLICATION_USER must match [a-z_][a-z0-9_]*, got '$BALLAST_REPLICATION_USER'"
}

# Write a libpq password file for the replication role, outside PGDATA (never copied into a base
# backup, never on the volume). Prints its path.
write_passfile() {
  mkdir -p "$BALLAST_RUN_DIR"
  local pw="${BALLAST_REPLICATION_PASSWORD//\\/\\\\}"
  pw="${pw//:/\\:}"
  printf '*:*:*:%s:%s\n' "$BALLAST_REPLICATION_USER" "$pw" >"$BALLAST_RUN_DIR/pgpass"
  chmod 0600 "$BALLAST_RUN_DIR/pgpass"
  printf '%s' "$BALLAST_RUN_DIR/pgpass"
}

# A WAL position "X/Y" as a decimal byte offset.
lsn_to_bytes() {
  local hi="${1%/*}" lo="${1#*/}"
  printf '%d' "$(((16#$hi << 32) + 16#$lo))"
}
