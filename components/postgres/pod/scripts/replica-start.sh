#!/usr/bin/env bash
# ReplicatedPostgres replica container command: `bash replica-start.sh`.
#
# Empty volume: take a base backup from the primary through this pod's own physical slot, then
# stream. Volume with data (a restart, or a pod back after a scale-down with its retained claim):
# resume from that data when the primary still holds the WAL the replica needs, otherwise
# re-bootstrap. One decision per start, never a loop: when something fails the script exits non-zero
# and the kubelet restarts the container with its back-off. README.md explains the decision.
BALLAST_ROLE_NAME=replica
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${BALLAST_POD_NAME:=${HOSTNAME:-}}"
: "${BALLAST_PRIMARY_PORT:=5432}"
: "${BALLAST_PRIMARY_WAIT_SECONDS:=300}"
: "${BALLAST_ON_SYSTEM_ID_MISMATCH:=refuse}"

require_env BALLAST_POD_NAME BALLAST_PRIMARY_HOST BALLAST_REPLICATION_PASSWORD
validate_common
[[ "$BALLAST_POD_NAME" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "BALLAST_POD_NAME must be a DNS label, got '$BALLAST_POD_NAME'"
[[ "$BALLAST_PRIMARY_HOST" =~ ^[A-Za-z0-9]([-.A-Za-z0-9]*[A-Za-z0-9])?$|^[0-9a-fA-F:]+$ ]] ||
  die "BALLAST_PRIMARY_HOST must be a host name or an IP address, got '$BALLAST_PRIMARY_HOST'"
[[ "$BALLAST_HOT_STANDBY_FEEDBACK" =~ ^(on|off)$ ]] || die "BALLAST_HOT_STANDBY_FEEDBACK must be on or off, got '$BALLAST_HOT_STANDBY_FEEDBACK'"
require_uint BALLAST_PRIMARY_PORT
require_uint BALLAST_PRIMARY_WAIT_SECONDS
[[ "$BALLAST_ON_SYSTEM_ID_MISMATCH" =~ ^(refuse|rebootstrap)$ ]] ||
  die "BALLAST_ON_SYSTEM_ID_MISMATCH must be refuse or rebootstrap, got '$BALLAST_ON_SYSTEM_ID_MISMATCH'"
[[ "$PGDATA" != "/" && "$PGDATA" == /* ]] || die "PGDATA must be an absolute path below the volume mount, got '$PGDATA'"

SLOT="$(slot_name_for "$BALLAST_POD_NAME")"
PGPASSFILE="$(write_passfile)"
export PGPASSFILE
mkdir -p "$BALLAST_SOCKET_DIR"

# Every connection to the primary: TLS verified against the database's CA, SCRAM with channel binding.
PRIMARY_CONNINFO="host=$(conninfo_quote "$BALLAST_PRIMARY_HOST") port=$BALLAST_PRIMARY_PORT user=$(conninfo_quote "$BALLAST_REPLICATION_USER") $(client_tls_conninfo)"

primary_psql() {
  psql -X -A -t -q -w -v ON_ERROR_STOP=1 -v VERBOSITY=terse -v slot="$SLOT" -d "$PRIMARY_CONNINFO dbname=postgres" "$@"
}

wait_for_primary() {
  local deadline=$((SECONDS + BALLAST_PRIMARY_WAIT_SECONDS)) why
  until pg_isready -q -d "$PRIMARY_CONNINFO dbname=postgres" -t 5; do
    if [[ $SECONDS -ge $deadline ]]; then
      # pg_isready says only "no response"; a connection attempt says why (TLS, password, network).
      why="$(primary_psql <<<"SELECT 1" 2>&1 >/dev/null | tr -s '\n\t' '  ')" || true
      why="${why#psql: error: }"
      why="${why% }"
      die "primary $BALLAST_PRIMARY_HOST:$BALLAST_PRIMARY_PORT not accepting connections after ${BALLAST_PRIMARY_WAIT_SECONDS}s${why:+: $why}"
    fi
    sleep 1
  done
}

# Wait until no WAL sender holds this pod's slot (a previous incarnation's connection can linger until
# the primary notices it is gone), bounded by wal_sender_timeout's default and then some.
wait_slot_inactive() {
  local i
  for ((i = 0; i < 90; i++)); do
    [[ "$(primary_psql <<<"SELECT count(*) FROM pg_catalog.pg_replication_slots WHERE slot_name = :'slot' AND active")" == 0 ]] && return 0
    sleep 1
  done
  die "slot $SLOT is still in use on the primary after 90s; is another pod named $BALLAST_POD_NAME streaming?"
}

drop_slot_if_present() {
  wait_slot_inactive
  primary_psql >/dev/null <<<"SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots WHERE slot_name = :'slot'"
}

bootstrap() {
  local reason="$1" tmp="$PGDATA.bootstrap" started elapsed
  log "bootstrapping from primary $BALLAST_PRIMARY_HOST:$BALLAST_PRIMARY_PORT with slot $SLOT: $reason"
  # Only this replica's own copy is removed; the primary's data is never touched.
  rm -rf -- "$tmp" "$PGDATA"
  drop_slot_if_present
  started=$(date +%s%N)
  # The backup lands beside PGDATA and is renamed into place only when complete, so a pod killed
  # mid-copy leaves no half-written PGDATA behind (the next start removes the partial copy).
  pg_basebackup -w -d "$PRIMARY_CONNINFO" \
    -D "$tmp" --wal-method=stream --create-slot --slot="$SLOT" --checkpoint=fast --no-password >&2 ||
    die "pg_basebackup from $BALLAST_PRIMARY_HOST:$BALLAST_PRIMARY_PORT failed"
  chmod 0700 "$tmp"
  mv -- "$tmp" "$PGDATA"
  elapsed=$((($(date +%s%N) - started) / 1000000))
  log "base backup complete in ${elapsed}ms ($(du -sm "$PGDATA" | cut -f1) MB)"
}

controldata_field() {
  LC_ALL=C pg_controldata -D "$PGDATA" | sed -n "s/^$1:[[:space:]]*//p"
}

readonly LSN_PATTERN='^[0-9A-F]{1,8}/[0-9A-F]{1,8}$'
readonly LSN_OR_NONE_PATTERN='^(-|[0-9A-F]{1,8}/[0-9A-F]{1,8})$'
readonly UINT_PATTERN='^[0-9]{1,20}$'
readonly WAL_FILE_PATTERN='^([0-9A-F]{24}|-)$'

# Prints "resume <why>" or "rebootstrap <why>" for a PGDATA that holds a cluster.
decide() {
  local own_major data_major info p_sysid p_tli p_major p_oldest slot_state slot_lsn
  own_major="$(postgres -V | sed -E 's/.* ([0-9]+)(\.[0-9]+)?.*/\1/')"
  data_major="$(cat "$PGDATA/PG_VERSION")"
  require_match "$PGDATA/PG_VERSION" "$data_major" '^[0-9]{2}$'
  if [[ "$data_major" != "$own_major" ]]; then
    echo "rebootstrap data directory is PostgreSQL $data_major, this server is $own_major"
    return
  fi
  if [[ ! -s "$PGDATA/global/pg_control" ]]; then
    echo "rebootstrap data directory has no global/pg_control"
    return
  fi

  # The primary's answer is checked field by field before any use: whoever controls the endpoint
  # (or a superuser who replaced the function) must not get a command run here.
  info="$(primary_psql -F ' ' <<<"SELECT * FROM ballast.replica_status(:'slot')")" || die "could not query the primary"
  read -r p_sysid p_tli p_major p_oldest slot_state slot_lsn extra <<<"$info"
  [[ -z "${extra:-}" ]] || die "the primary's replica_status has more fields than expected"
  # A bigint in SQL: identifiers above 2^63 read as negative.
  require_match "the primary's system identifier" "$p_sysid" '^-?[0-9]{1,20}$'
  require_match "the primary's timeline" "$p_tli" "$UINT_PATTERN"
  require_match "the primary's major version" "$p_major" '^[0-9]{2}$'
  require_match "the primary's oldest WAL file" "$p_oldest" "$WAL_FILE_PATTERN"
  require_match "the state of slot $SLOT on the primary" "$slot_state" '^(reserved|extended|unreserved|lost|unused|none)$'
  require_match "the restart position of slot $SLOT" "$slot_lsn" "$LSN_OR_NONE_PATTERN"

  local sysid tli redo segsize
  sysid="$(controldata_field "Database system identifier")"
  tli="$(controldata_field "Latest checkpoint's TimeLineID")"
  redo="$(controldata_field "Latest checkpoint's REDO location")"
  segsize="$(controldata_field "Bytes per WAL segment")"
  require_match "pg_controldata's system identifier" "$sysid" "$UINT_PATTERN"
  require_match "pg_controldata's timeline" "$tli" "$UINT_PATTERN"
  require_match "pg_controldata's REDO location" "$redo" "$LSN_PATTERN"
  require_match "pg_controldata's WAL segment size" "$segsize" "$UINT_PATTERN"

  if [[ "$sysid" != "$p_sysid" ]]; then
    [[ "$BALLAST_ON_SYSTEM_ID_MISMATCH" == rebootstrap ]] ||
      die "data directory belongs to cluster $sysid but the primary is cluster $p_sysid; this replica's data may be the only copy of the old cluster, so it is kept. Delete this pod's volume claim (or set BALLAST_ON_SYSTEM_ID_MISMATCH=rebootstrap) to copy the new primary"
    echo "rebootstrap data directory belongs to cluster $sysid, the primary is cluster $p_sysid"
    return
  fi
  if [[ "$p_major" != "$own_major" ]]; then
    die "primary runs PostgreSQL $p_major, this replica runs $own_major: physical replication needs the same major version"
  fi
  if [[ "$tli" -gt "$p_tli" ]]; then
    echo "rebootstrap replica is on timeline $tli, ahead of the primary's $p_tli"
    return
  fi

  # A slot that still reserves WAL was last advanced by this replica's own flush position, so the
  # replica holds locally everything before the slot's restart_lsn and the primary everything after.
  if [[ "$slot_state" == reserved || "$slot_state" == extended ]] && [[ "$slot_lsn" != - ]]; then
    echo "resume slot $SLOT still reserves WAL from $slot_lsn"
    return
  fi

  # No usable slot (dropped by the janitor, invalidated by max_slot_wal_keep_size, or never used):
  # the replica replays from its last restartpoint's REDO location, so the primary must still hold
  # the segment containing it.
  if [[ "$slot_state" == lost || "$slot_state" == unreserved ]]; then
    drop_slot_if_present
    slot_state=none
  fi
  if [[ "$p_oldest" == - ]]; then
    echo "rebootstrap the primary lists no WAL segments"
    return
  fi
  local per_id need have
  per_id=$((0x100000000 / segsize))
  need=$(($(lsn_to_bytes "$redo") / segsize))
  have=$((16#${p_oldest:8:8} * per_id + 16#${p_oldest:16:8}))
  if [[ $have -gt $need ]]; then
    echo "rebootstrap the primary no longer holds the WAL this replica needs (needs segment $need from REDO $redo, oldest kept is $have, slot $slot_state)"
    return
  fi
  if [[ "$slot_state" == none ]]; then
    # Created without reserving WAL: its restart_lsn is set by this replica's first feedback, so it
    # never claims a position the replica does not hold.
    primary_psql >/dev/null <<<"SELECT pg_catalog.pg_create_physical_replication_slot(:'slot', false)"
  fi
  echo "resume the primary still holds segment $need (oldest kept is $have); slot $SLOT re-created"
}

wait_for_primary
rm -rf -- "$PGDATA.bootstrap"

if [[ -s "$PGDATA/PG_VERSION" ]]; then
  decision="$(decide)"
  case "$decision" in
    resume\ *) log "resuming from existing data: ${decision#resume }" ;;
    rebootstrap\ *) bootstrap "${decision#rebootstrap }" ;;
    *) die "internal error: no decision" ;;
  esac
else
  bootstrap "data directory is empty"
fi

BALLAST_PRIMARY_CONNINFO="$PRIMARY_CONNINFO passfile=$(conninfo_quote "$PGPASSFILE") application_name=$(conninfo_quote "$BALLAST_POD_NAME")"
BALLAST_SLOT_NAME="$SLOT"
write_conf replica
write_hba
touch "$PGDATA/standby.signal"
chmod 0700 "$PGDATA"

log "starting postgres as a standby of $BALLAST_PRIMARY_HOST:$BALLAST_PRIMARY_PORT (slot $SLOT, TLS verify-full)"
exec_postgres
