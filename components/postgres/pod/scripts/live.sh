#!/usr/bin/env bash
# ReplicatedPostgres liveness probe for replicas: `bash live.sh`.
#
# Fails only when restarting the container is the fix: the replica is in recovery, its WAL receiver is
# not streaming, and the primary (reachable) no longer holds the WAL the replica is waiting for,
# with no slot reserving it. That happens when the primary recycled a segment in the moment between
# replica-start.sh's check and the first connection; the restart then takes the re-bootstrap path.
# Anything else (server starting, primary down, streaming) passes: a restart would not help.
BALLAST_ROLE_NAME=live
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${BALLAST_POD_NAME:=${HOSTNAME:-}}"
: "${BALLAST_PRIMARY_PORT:=5432}"
require_env BALLAST_POD_NAME BALLAST_PRIMARY_HOST BALLAST_REPLICATION_PASSWORD
require_uint BALLAST_PRIMARY_PORT

state="$(local_psql -F ' ' -c "SELECT pg_catalog.pg_is_in_recovery(), coalesce((SELECT status FROM pg_catalog.pg_stat_wal_receiver), 'none'), coalesce(pg_catalog.pg_last_wal_replay_lsn()::text, '-'), (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'wal_segment_size')" 2>/dev/null)" || exit 0
read -r recovering receiver replay segsize <<<"$state"
[[ "$recovering" == t && "$receiver" != streaming && "$replay" != - ]] || exit 0
require_match "the replay position" "$replay" '^[0-9A-F]{1,8}/[0-9A-F]{1,8}$'
require_match "wal_segment_size" "$segsize" '^[0-9]{1,12}$'
require_match "the WAL receiver's status" "$receiver" '^[a-z]+$'

SLOT="$(slot_name_for "$BALLAST_POD_NAME")"
# Its own password file: the WAL receiver reads the start script's on every reconnect.
PGPASSFILE="$(BALLAST_RUN_DIR="$BALLAST_RUN_DIR/live" write_passfile)"
export PGPASSFILE
conninfo="host=$(conninfo_quote "$BALLAST_PRIMARY_HOST") port=$BALLAST_PRIMARY_PORT user=$(conninfo_quote "$BALLAST_REPLICATION_USER") dbname=postgres $(client_tls_conninfo)"
primary="$(psql -X -A -t -q -w -F ' ' -v ON_ERROR_STOP=1 -v slot="$SLOT" -d "$conninfo" 2>/dev/null \
  <<<"SELECT oldest_wal, slot_state FROM ballast.replica_status(:'slot')")" || exit 0
read -r oldest slot_state <<<"$primary"
require_match "the primary's oldest WAL file" "$oldest" '^([0-9A-F]{24}|-)$'
require_match "the state of slot $SLOT on the primary" "$slot_state" '^(reserved|extended|unreserved|lost|unused|none)$'
[[ "$oldest" != - && "$slot_state" != reserved && "$slot_state" != extended ]] || exit 0

per_id=$((0x100000000 / segsize))
need=$(($(lsn_to_bytes "$replay") / segsize))
have=$((16#${oldest:8:8} * per_id + 16#${oldest:16:8}))
if [[ $have -gt $need ]]; then
  printf 'not live: WAL receiver is %s and the primary no longer holds segment %s (oldest kept is %s, slot %s): restart to re-bootstrap\n' \
    "$receiver" "$need" "$have" "$slot_state" >&2
  exit 1
fi
