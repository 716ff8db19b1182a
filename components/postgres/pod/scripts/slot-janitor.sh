#!/usr/bin/env bash
# ReplicatedPostgres slot janitor: a sidecar loop in the primary pod, `bash slot-janitor.sh`
# (or `bash slot-janitor.sh --once` for a single pass).
#
# Drops the inactive physical slots of replicas that no longer exist, so WAL is not held for a pod
# that scaling down removed. Only slots named after this database's replica StatefulSet
# (<statefulset>_<ordinal>) are considered; any other slot is left alone. A slot is dropped after its
# pod has been reported missing BALLAST_JANITOR_MISSES passes in a row, so one DNS hiccup never drops
# the slot of a replica that is merely restarting. max_slot_wal_keep_size stays the backstop.
BALLAST_ROLE_NAME="slot-janitor"
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${BALLAST_JANITOR_INTERVAL_SECONDS:=30}"
: "${BALLAST_JANITOR_MISSES:=3}"
: "${BALLAST_REPLICA_SERVICE:=}"
: "${BALLAST_MEMBER_CHECK:=}"

require_env BALLAST_REPLICA_STATEFULSET
require_uint BALLAST_JANITOR_INTERVAL_SECONDS
require_uint BALLAST_JANITOR_MISSES
[[ "$BALLAST_JANITOR_MISSES" -ge 1 ]] || die "BALLAST_JANITOR_MISSES must be >= 1, got $BALLAST_JANITOR_MISSES"
if [[ -z "$BALLAST_MEMBER_CHECK" ]]; then
  # In Kubernetes a replica exists while its name resolves through the StatefulSet's governing
  # (headless, publishNotReadyAddresses) Service: <pod>.<service>.
  require_env BALLAST_REPLICA_SERVICE
  # Single quotes on purpose: the check is a command evaluated later with the pod name as $1.
  # shellcheck disable=SC2016
  BALLAST_MEMBER_CHECK='getent hosts "$1.$BALLAST_REPLICA_SERVICE" >/dev/null'
fi
export BALLAST_REPLICA_SERVICE

once=false
threshold="$BALLAST_JANITOR_MISSES"
if [[ "${1:-}" == --once ]]; then
  once=true
  threshold=1
elif [[ -n "${1:-}" ]]; then
  die "unknown argument '$1' (the only argument is --once)"
fi

PREFIX="$(slot_name_for "$BALLAST_REPLICA_STATEFULSET")"
declare -A misses=()

# Runs the membership check as `bash -c "$BALLAST_MEMBER_CHECK" member-check <pod>`: exit 0 = exists.
pod_exists() {
  bash -c "$BALLAST_MEMBER_CHECK" member-check "$1"
}

one_pass() {
  local slots slot pod seen=" "
  if ! slots="$(local_psql -c "SELECT slot_name FROM pg_catalog.pg_replication_slots WHERE slot_type = 'physical' AND NOT active ORDER BY 1" 2>/dev/null)"; then
    log "server not reachable on $BALLAST_SOCKET_DIR:$PGPORT yet"
    return 1
  fi
  for slot in $slots; do
    [[ "$slot" =~ ^${PREFIX}_([0-9]+)$ ]] || continue
    seen+="$slot "
    pod="$BALLAST_REPLICA_STATEFULSET-${BASH_REMATCH[1]}"
    if pod_exists "$pod"; then
      misses[$slot]=0
      continue
    fi
    misses[$slot]=$((${misses[$slot]:-0} + 1))
    if [[ ${misses[$slot]} -lt $threshold ]]; then
      log "replica $pod not found (${misses[$slot]}/$threshold); keeping slot $slot for now"
      continue
    fi
    # NOT active is checked again by the server: a replica that reconnected meanwhile keeps its slot.
    if local_psql -v slot="$slot" >/dev/null 2>&1 <<<"SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots WHERE slot_name = :'slot' AND NOT active"; then
      log "dropped slot $slot: replica $pod no longer exists"
    else
      log "slot $slot became active again; kept"
    fi
    unset "misses[$slot]"
  done
  for slot in "${!misses[@]}"; do
    [[ "$seen" == *" $slot "* ]] || unset "misses[$slot]"
  done
}

if $once; then
  one_pass
  exit $?
fi

trap 'exit 0' TERM INT
log "watching slots ${PREFIX}_<n> every ${BALLAST_JANITOR_INTERVAL_SECONDS}s"
while true; do
  one_pass || true
  sleep "$BALLAST_JANITOR_INTERVAL_SECONDS" &
  wait $!
done
