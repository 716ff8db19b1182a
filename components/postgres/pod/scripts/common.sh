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
: "${BALLAST_APP_USER:=app}"
: "${BALLAST_APP_DATABASE:=app}"
: "${BALLAST_MONITOR_USER:=monitor}"
: "${BALLAST_TLS_DIR:=/ballast/tls}"
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

# Quote a value for postgresql.conf: single quotes, embedded quotes doubled. A control character
# (a newline would start a setting of its own) is refused, never written.
conf_quote() {
  [[ "$1" != *[[:cntrl:]]* ]] || die "a postgresql.conf value may not hold a control character (newline, tab, ...), got '${1//[[:cntrl:]]/?}'"
  local v="${1//\'/\'\'}"
  printf "'%s'" "$v"
}

# Render a template from BALLAST_CONF_DIR: every ${NAME} becomes that variable's value, quoted, so no
# value can end its setting or add another.
render_template() {
  local file="$BALLAST_CONF_DIR/$1" line out="" quoted
  [[ -r "$file" ]] || die "template $file is missing"
  while IFS= read -r line || [[ -n "$line" ]]; do
    while [[ "$line" =~ \$\{([A-Za-z_][A-Za-z0-9_]*)\} ]]; do
      local var="${BASH_REMATCH[1]}"
      quoted="$(conf_quote "${!var-}")" || exit 1
      line="${line//"\${$var}"/$quoted}"
    done
    out+="$line"$'\n'
  done <"$file"
  printf '%s' "$out"
}

# Settings BALLAST_EXTRA_CONF may not set: those Ballast owns (listening, TLS, authentication,
# replication), file locations, and anything that runs a command or loads code into every session.
readonly BALLAST_RESERVED_SETTINGS="^(listen_addresses|port|unix_socket_.*|ssl|ssl_.*|password_encryption|hba_file|ident_file|data_directory|config_file|external_pid_file|primary_conninfo|primary_slot_name|synchronous_standby_names|wal_level|max_wal_senders|max_replication_slots|max_slot_wal_keep_size|hot_standby|archive_command|archive_library|restore_command|archive_cleanup_command|recovery_end_command|dynamic_library_path|local_preload_libraries|session_preload_libraries|include|include_dir|include_if_exists)$"

# BALLAST_EXTRA_CONF as postgresql.conf lines: each `name = value` (blank lines and # comments
# skipped), the name a setting name, the value re-quoted; anything else is refused.
render_extra_conf() {
  local line name value out=""
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*(#.*)?$ ]] && continue
    [[ "$line" =~ ^[[:space:]]*([a-z_][a-z0-9_.]*)[[:space:]]*=[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]] ||
      die "BALLAST_EXTRA_CONF: '$line' is not a setting of the form name = value"
    name="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]}"
    [[ ! "$name" =~ $BALLAST_RESERVED_SETTINGS ]] || die "BALLAST_EXTRA_CONF: $name is set by Ballast or can run commands, and may not be set here"
    if [[ "$value" =~ ^\'(.*)\'$ ]]; then
      value="${BASH_REMATCH[1]//\'\'/\'}"
    fi
    out+="$name = $(conf_quote "$value")"$'\n' || exit 1
  done <<<"$BALLAST_EXTRA_CONF"
  printf '%s' "$out"
}

# Every SQL session a script opens resolves names in pg_catalog only: no object another role created
# can shadow a function the scripts call.
export PGOPTIONS="-c search_path=pg_catalog,pg_temp"

# psql against the local server over its Unix socket (pg_hba trusts local connections).
local_psql() {
  psql -X -A -t -q -v ON_ERROR_STOP=1 -v VERBOSITY=terse -h "$BALLAST_SOCKET_DIR" -p "$PGPORT" -U "$POSTGRES_USER" -d postgres "$@"
}

# A role or database name the scripts create or connect as.
require_identifier() {
  local name="$1"
  [[ "${!name}" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "$name must match [a-z_][a-z0-9_]* (at most 63 characters), got '${!name}'"
}

# The server certificate, its key and the CA (a kubernetes.io/tls Secret with ca.crt, mounted at
# BALLAST_TLS_DIR). The key is copied outside the volume with mode 0600, the only mode PostgreSQL
# accepts for a key the server user owns, whatever mode the kubelet gave the mounted file.
setup_server_tls() {
  local f
  for f in tls.crt tls.key ca.crt; do
    [[ -s "$BALLAST_TLS_DIR/$f" ]] || die "TLS file $BALLAST_TLS_DIR/$f is missing or empty (mount the database's TLS Secret there)"
  done
  mkdir -p "$BALLAST_RUN_DIR"
  install -m 0600 "$BALLAST_TLS_DIR/tls.key" "$BALLAST_RUN_DIR/server.key"
  BALLAST_SSL_CERT_FILE="$BALLAST_TLS_DIR/tls.crt"
  BALLAST_SSL_KEY_FILE="$BALLAST_RUN_DIR/server.key"
  BALLAST_SSL_CA_FILE="$BALLAST_TLS_DIR/ca.crt"
}

# libpq options of every TCP connection a script opens to the primary: TLS with the server's
# certificate checked against the database's CA and its host name, SCRAM with channel binding (a
# server that asks for a cleartext password, or a relay without the certificate's key, is refused),
# and from PostgreSQL 16 on, require_auth so no other method is even tried.
client_tls_conninfo() {
  local major opts
  major="$(postgres -V | sed -E 's/.* ([0-9]+)(\.[0-9]+)?.*/\1/')"
  opts="sslmode=verify-full sslrootcert=$(conninfo_quote "$BALLAST_TLS_DIR/ca.crt") channel_binding=require"
  [[ "$major" -lt 16 ]] || opts+=" require_auth=scram-sha-256"
  printf '%s' "$opts"
}

# A value for a libpq connection string: single quotes, backslashes and quotes escaped.
conninfo_quote() {
  local v="${1//\\/\\\\}"
  v="${v//\'/\\\'}"
  printf "'%s'" "$v"
}

# exec the server with the secrets the start script needed taken out of its environment, so neither
# the postmaster nor its children (and their /proc/<pid>/environ) hold them.
exec_postgres() {
  exec env -u POSTGRES_PASSWORD -u BALLAST_REPLICATION_PASSWORD -u BALLAST_APP_PASSWORD -u BALLAST_MONITOR_PASSWORD \
    postgres -D "$PGDATA"
}

# The pg_hba.conf every pod writes on start. The local socket is trusted (only processes inside the
# pod reach it); over TCP the superuser is refused whatever its password, so is every connection
# without TLS, and each remaining role may reach only its own database with SCRAM: the replication
# role replication and `postgres` (slot management and ballast.replica_status), the monitoring role
# `postgres`, the application role its database. Which pods may open TCP connections at all is the
# NetworkPolicy's job.
write_hba() {
  local cidr hba
  hba="# Written by Ballast on every start; edits are overwritten.
# TYPE    DATABASE                 USER                        ADDRESS   METHOD
local     all                      all                                   trust
host      all                      ${POSTGRES_USER}            all       reject
host      replication              ${POSTGRES_USER}            all       reject
hostnossl all                      all                         all       reject
hostnossl replication              all                         all       reject
"
  for cidr in $BALLAST_HBA_CIDRS; do
    [[ "$cidr" =~ ^[0-9a-fA-F.:]+/[0-9]{1,3}$ ]] || die "BALLAST_HBA_CIDRS: '$cidr' is not a network like 10.0.0.0/8 or ::/0"
    hba+="hostssl   replication              ${BALLAST_REPLICATION_USER}  ${cidr}  scram-sha-256
hostssl   postgres                 ${BALLAST_REPLICATION_USER}  ${cidr}  scram-sha-256
hostssl   postgres                 ${BALLAST_MONITOR_USER}  ${cidr}  scram-sha-256
hostssl   ${BALLAST_APP_DATABASE}  ${BALLAST_APP_USER}  ${cidr}  scram-sha-256
"
  done
  hba+="host      all                      all                         all       reject
host      replication              all                         all       reject
"
  printf '%s' "$hba" >"$PGDATA/pg_hba.conf"
}

# Settings shared by primary and replicas (a standby needs max_connections, max_wal_senders and the
# like at least as high as its primary's, so both render the same values).
write_conf() {
  local role="$1" body
  BALLAST_MAX_WAL_SENDERS="${BALLAST_MAX_WAL_SENDERS:-$((BALLAST_MAX_REPLICAS + 2))}"
  BALLAST_MAX_REPLICATION_SLOTS="${BALLAST_MAX_REPLICATION_SLOTS:-$((BALLAST_MAX_REPLICAS + 2))}"
  body="$(render_template postgresql.common.conf)"$'\n'"$(render_template "postgresql.$role.conf")" || exit 1
  if [[ -n "$BALLAST_EXTRA_CONF" ]]; then
    body+=$'\n# BALLAST_EXTRA_CONF\n'"$(render_extra_conf)" || exit 1
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
  local name
  for name in POSTGRES_USER BALLAST_REPLICATION_USER BALLAST_APP_USER BALLAST_APP_DATABASE BALLAST_MONITOR_USER; do
    require_identifier "$name"
  done
  [[ "$(printf '%s\n' "$POSTGRES_USER" "$BALLAST_REPLICATION_USER" "$BALLAST_APP_USER" "$BALLAST_MONITOR_USER" | sort -u | wc -l)" -eq 4 ]] ||
    die "POSTGRES_USER, BALLAST_REPLICATION_USER, BALLAST_APP_USER and BALLAST_MONITOR_USER must be four different roles"
  [[ "$BALLAST_APP_DATABASE" != postgres && "$BALLAST_APP_DATABASE" != template0 && "$BALLAST_APP_DATABASE" != template1 ]] ||
    die "BALLAST_APP_DATABASE must not be postgres, template0 or template1, got '$BALLAST_APP_DATABASE'"
  setup_server_tls
}

# Write a libpq password file for the replication role, outside PGDATA (never copied into a base
# backup, never on the volume), replaced in one rename so the WAL receiver, which reads it on every
# reconnect, never sees it half written. Prints its path.
write_passfile() {
  mkdir -p "$BALLAST_RUN_DIR"
  local pw="${BALLAST_REPLICATION_PASSWORD//\\/\\\\}" tmp
  pw="${pw//:/\\:}"
  tmp="$(mktemp "$BALLAST_RUN_DIR/pgpass.XXXXXX")"
  printf '*:*:*:%s:%s\n' "$BALLAST_REPLICATION_USER" "$pw" >"$tmp"
  chmod 0600 "$tmp"
  mv -f -- "$tmp" "$BALLAST_RUN_DIR/pgpass"
  printf '%s' "$BALLAST_RUN_DIR/pgpass"
}

# Checks a value read from the primary, from pg_controldata or from a query against a pattern before
# any use: a field that does not match ends the script (a hostile or broken peer gets no say).
require_match() {
  local what="$1" value="$2" pattern="$3"
  [[ "$value" =~ $pattern ]] || die "$what is '${value//[[:cntrl:]]/?}', which is not of the expected form"
}

# A WAL position "X/Y" as a decimal byte offset.
lsn_to_bytes() {
  local hi="${1%/*}" lo="${1#*/}"
  printf '%d' "$(((16#$hi << 32) + 16#$lo))"
}
