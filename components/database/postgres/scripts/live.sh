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

state="$(local_psql -F ' ' -c "SELECT pg_is_in_recovery(), coalesce((SELECT status FROM pg_stat_wal_receiver), 'none'), coalesce(pg_last_wal_replay_lsn()::text, '-'), (SELECT setting FROM pg_settings WHERE name = 'wal_segment_size')" 2>/dev/null)" || exit 0
read -r recovering receiver replay segsize <<<"$state"
[[ "$recovering" == t && "$receiver" != streaming && "$replay" != - ]] || exit 0

SLOT="$(slot_name_for "$BALLAST_POD_NAME")"
PGPASSFILE="$(write_passfile)"
export PGPASSFILE
primary="$(psql -X -A -t -q -w -F ' ' -v ON_ERROR_STOP=1 -h "$BALLAST_PRIMARY_HOST" -p "$BALLAST_PRIMARY_PORT" \
  -U "$BALLAST_REPLICATION_USER" -d postgres -v slot="$SLOT" 2>/dev/null <<'SQL'
SELECT coalesce((SELECT min(name) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$'), '-'),
       coalesce((SELECT coalesce(wal_status, 'unused') FROM pg_replication_slots WHERE slot_name = :'slot'), 'none')
SQL
)" || exit 0
read -r oldest slot_state <<<"$primary"
[[ "$oldest" != - && "$slot_state" != reserved && "$slot_state" != extended ]] || exit 0

per_id=$((0x100000000 / segsize))
need=$(($(lsn_to_bytes "$replay") / segsize))
have=$((16#${oldest:8:8} * per_id + 16#${oldest:16:8}))
if [[ $have -gt $need ]]; then
  printf 'not live: WAL receiver is %s and the primary no longer holds segment %s (oldest kept is %s, slot %s): restart to re-bootstrap\n' \
    "$receiver" "$need" "$have" "$slot_state" >&2
  exit 1
fi
