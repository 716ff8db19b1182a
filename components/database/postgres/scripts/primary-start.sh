#!/usr/bin/env bash
# ReplicatedPostgres primary container command: `bash primary-start.sh`.
# First start: initdb with the superuser password from POSTGRES_PASSWORD. Every start: render
# ballast.conf and pg_hba.conf, (re)set the superuser and replication role passwords from the
# environment (so a rotated Secret takes effect on restart), then exec postgres as the container's
# main process.
BALLAST_ROLE_NAME=primary
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${BALLAST_INITDB_ARGS:=--data-checksums}"
: "${BALLAST_MIN_REPLICAS:=}"

require_env POSTGRES_PASSWORD BALLAST_REPLICATION_PASSWORD BALLAST_REPLICA_STATEFULSET
validate_common
[[ "$BALLAST_REPLICA_STATEFULSET" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] ||
  die "BALLAST_REPLICA_STATEFULSET must be a DNS label, got '$BALLAST_REPLICA_STATEFULSET'"

# Quorum commit: ANY n over every name a replica can have. It never blocks commits as long as at least
# n replicas stream, which the component guarantees by refusing replicas.min <= n.
if [[ "$BALLAST_SYNC_STANDBYS" -gt 0 ]]; then
  [[ "$BALLAST_SYNC_STANDBYS" -lt "$BALLAST_MAX_REPLICAS" ]] ||
    die "BALLAST_SYNC_STANDBYS ($BALLAST_SYNC_STANDBYS) must be < BALLAST_MAX_REPLICAS ($BALLAST_MAX_REPLICAS)"
  if [[ -n "$BALLAST_MIN_REPLICAS" ]]; then
    require_uint BALLAST_MIN_REPLICAS
    [[ "$BALLAST_MIN_REPLICAS" -gt "$BALLAST_SYNC_STANDBYS" ]] ||
      die "BALLAST_MIN_REPLICAS ($BALLAST_MIN_REPLICAS) must be > BALLAST_SYNC_STANDBYS ($BALLAST_SYNC_STANDBYS), or commits can block when replicas scale in"
  fi
  names=()
  for ((i = 0; i < BALLAST_MAX_REPLICAS; i++)); do names+=("\"$BALLAST_REPLICA_STATEFULSET-$i\""); done
  sync_names="ANY $BALLAST_SYNC_STANDBYS ($(IFS=,; printf '%s' "${names[*]}"))"
  sync_names="${sync_names//,/, }"
else
  sync_names=""
fi
BALLAST_Q_SYNC_NAMES="$(conf_quote "$sync_names")"

mkdir -p "$BALLAST_SOCKET_DIR"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  if [[ -d "$PGDATA" ]] && [[ -n "$(ls -A "$PGDATA")" ]]; then
    die "$PGDATA is not empty but holds no PG_VERSION: refusing to initialize over unknown files"
  fi
  log "initializing a new cluster in $PGDATA"
  mkdir -p "$PGDATA"
  chmod 0700 "$PGDATA"
  # shellcheck disable=SC2086 # BALLAST_INITDB_ARGS is a list of flags
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 $BALLAST_INITDB_ARGS >&2
fi
[[ ! -e "$PGDATA/standby.signal" ]] ||
  die "$PGDATA holds standby.signal: this volume belongs to a replica, not to the primary"

write_conf primary
write_hba

# Roles are set with the server reachable only through the local socket.
log "setting the superuser and replication role passwords"
# The server runs on a private socket directory meanwhile, so neither probes nor the janitor see it,
# and with synchronous_standby_names off, or these statements would wait for replicas.
setup_socket="$BALLAST_RUN_DIR/setup-socket"
mkdir -p "$setup_socket"
pg_ctl -D "$PGDATA" -w -t 3600 -o "-c listen_addresses='' -c unix_socket_directories='$setup_socket' -c synchronous_standby_names=''" start >&2
# Passwords come from the environment through \getenv, never on a command line.
BALLAST_SOCKET_DIR="$setup_socket" local_psql -v repl_user="$BALLAST_REPLICATION_USER" -v su="$POSTGRES_USER" <<'SQL'
\getenv repl_pw BALLAST_REPLICATION_PASSWORD
\getenv su_pw POSTGRES_PASSWORD
SELECT format('CREATE ROLE %I WITH LOGIN REPLICATION', :'repl_user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'repl_user') \gexec
ALTER ROLE :"repl_user" WITH LOGIN REPLICATION PASSWORD :'repl_pw';
-- pg_monitor lets a returning replica read pg_ls_waldir() to decide between resuming and re-bootstrapping.
GRANT pg_monitor TO :"repl_user";
ALTER ROLE :"su" WITH PASSWORD :'su_pw';
SQL
pg_ctl -D "$PGDATA" -w -t 3600 -m fast stop >&2

log "starting postgres (sync: ${sync_names:-off}, slot WAL cap: $BALLAST_MAX_SLOT_WAL_KEEP_SIZE)"
exec postgres -D "$PGDATA"
