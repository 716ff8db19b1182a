#!/usr/bin/env bash
# ReplicatedPostgres primary container command: `bash primary-start.sh`.
# First start: initdb with the superuser password from POSTGRES_PASSWORD. Every start: render
# ballast.conf and pg_hba.conf, create or correct the roles (superuser, replication, monitoring,
# application) and the application database, set every password from the environment (so a rotated
# Secret takes effect on restart), then exec postgres as the container's main process.
BALLAST_ROLE_NAME=primary
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${BALLAST_INITDB_ARGS:=--data-checksums}"
: "${BALLAST_MIN_REPLICAS:=}"

require_env POSTGRES_PASSWORD BALLAST_REPLICATION_PASSWORD BALLAST_APP_PASSWORD BALLAST_MONITOR_PASSWORD BALLAST_REPLICA_STATEFULSET
validate_common
[[ "$BALLAST_REPLICA_STATEFULSET" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] ||
  die "BALLAST_REPLICA_STATEFULSET must be a DNS label, got '$BALLAST_REPLICA_STATEFULSET'"
[[ "$BALLAST_SYNCHRONOUS_COMMIT" =~ ^(on|off|local|remote_write|remote_apply)$ ]] ||
  die "BALLAST_SYNCHRONOUS_COMMIT must be on, off, local, remote_write or remote_apply, got '$BALLAST_SYNCHRONOUS_COMMIT'"

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
  BALLAST_SYNC_NAMES="ANY $BALLAST_SYNC_STANDBYS ($(IFS=,; printf '%s' "${names[*]}"))"
  BALLAST_SYNC_NAMES="${BALLAST_SYNC_NAMES//,/, }"
else
  BALLAST_SYNC_NAMES=""
fi

mkdir -p "$BALLAST_SOCKET_DIR"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  if [[ -d "$PGDATA" ]] && [[ -n "$(ls -A "$PGDATA")" ]]; then
    die "$PGDATA is not empty but holds no PG_VERSION: refusing to initialize over unknown files"
  fi
  log "initializing a new cluster in $PGDATA"
  mkdir -p "$PGDATA"
  # shellcheck disable=SC2086 # BALLAST_INITDB_ARGS is a list of flags
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 $BALLAST_INITDB_ARGS >&2
fi
[[ ! -e "$PGDATA/standby.signal" ]] ||
  die "$PGDATA holds standby.signal: this volume belongs to a replica, not to the primary"
# Every start: a kubelet that applied fsGroup may have made the directory group-accessible, which
# PostgreSQL refuses.
chmod 0700 "$PGDATA"

write_conf primary
write_hba

# Roles are set with the server reachable only through the local socket.
log "setting the roles and their passwords"
# The server runs on a private socket directory meanwhile, so neither probes nor the janitor see it,
# and with synchronous_standby_names off, or these statements would wait for replicas.
setup_socket="$BALLAST_RUN_DIR/setup-socket"
mkdir -p "$setup_socket"
pg_ctl -D "$PGDATA" -w -t 3600 -o "-c listen_addresses='' -c unix_socket_directories='$setup_socket' -c synchronous_standby_names=''" start >&2
# Passwords come from the environment through \getenv, never on a command line; a failing statement
# is neither echoed by psql (terse errors) nor logged with its text by the server.
BALLAST_SOCKET_DIR="$setup_socket" local_psql \
  -v su="$POSTGRES_USER" -v repl_user="$BALLAST_REPLICATION_USER" -v mon_user="$BALLAST_MONITOR_USER" \
  -v app_user="$BALLAST_APP_USER" -v app_db="$BALLAST_APP_DATABASE" <<'SQL'
SET log_min_error_statement = panic;
SET log_statement = none;
\getenv su_pw POSTGRES_PASSWORD
\getenv repl_pw BALLAST_REPLICATION_PASSWORD
\getenv mon_pw BALLAST_MONITOR_PASSWORD
\getenv app_pw BALLAST_APP_PASSWORD
ALTER ROLE :"su" WITH PASSWORD :'su_pw';

-- Each role exists with exactly the attributes it needs; a start corrects any drift.
SELECT pg_catalog.format('CREATE ROLE %I', r) FROM (VALUES (:'repl_user'), (:'mon_user'), (:'app_user')) AS v(r)
  WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) \gexec
ALTER ROLE :"repl_user" WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS PASSWORD :'repl_pw';
ALTER ROLE :"mon_user" WITH LOGIN NOREPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS CONNECTION LIMIT 10 PASSWORD :'mon_pw';
ALTER ROLE :"app_user" WITH LOGIN NOREPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_pw';
-- Earlier versions granted the replication role pg_monitor; it may replicate and nothing else now.
SELECT pg_catalog.format('REVOKE %I FROM %I', g.rolname, m.rolname)
  FROM pg_catalog.pg_auth_members a JOIN pg_catalog.pg_roles g ON g.oid = a.roleid JOIN pg_catalog.pg_roles m ON m.oid = a.member
  WHERE m.rolname = :'repl_user' \gexec
-- The monitoring role reads statistics (pg_stat_activity of every session) and nothing else.
GRANT pg_read_all_stats TO :"mon_user";

-- The application's database, owned by the application role; nobody else may connect to it, and
-- only the replication and monitoring roles to postgres.
SELECT pg_catalog.format('CREATE DATABASE %I OWNER %I', :'app_db', :'app_user')
  WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = :'app_db') \gexec
ALTER DATABASE :"app_db" OWNER TO :"app_user";
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
GRANT CONNECT ON DATABASE postgres TO :"repl_user", :"mon_user";

-- What a returning replica must know about the primary to resume or re-bootstrap, for the
-- replication role, which has no other read access: one function, run with the superuser's rights,
-- names resolved in pg_catalog only, put back as shipped on every start.
BEGIN;
CREATE SCHEMA IF NOT EXISTS ballast;
REVOKE ALL ON SCHEMA ballast FROM PUBLIC;
GRANT USAGE ON SCHEMA ballast TO :"repl_user";
DROP FUNCTION IF EXISTS ballast.replica_status(text);
CREATE FUNCTION ballast.replica_status(slot text)
  RETURNS TABLE (system_identifier bigint, timeline_id integer, major integer, oldest_wal text, slot_state text, restart_lsn text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT (SELECT c.system_identifier FROM pg_catalog.pg_control_system() c),
         (SELECT c.timeline_id FROM pg_catalog.pg_control_checkpoint() c),
         pg_catalog.current_setting('server_version_num')::integer / 10000,
         coalesce((SELECT min(w.name) FROM pg_catalog.pg_ls_waldir() w WHERE w.name ~ '^[0-9A-F]{24}$'), '-'),
         coalesce((SELECT coalesce(s.wal_status, 'unused') FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = slot), 'none'),
         coalesce((SELECT s.restart_lsn::text FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = slot), '-')
$$;
REVOKE ALL ON FUNCTION ballast.replica_status(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ballast.replica_status(text) TO :"repl_user";
COMMIT;
SQL
pg_ctl -D "$PGDATA" -w -t 3600 -m fast stop >&2

log "starting postgres (sync: ${BALLAST_SYNC_NAMES:-off}, slot WAL cap: $BALLAST_MAX_SLOT_WAL_KEEP_SIZE, TLS on)"
exec_postgres
