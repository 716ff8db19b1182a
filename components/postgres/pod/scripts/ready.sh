#!/usr/bin/env bash
# ReplicatedPostgres readiness probe: `bash ready.sh primary` or `bash ready.sh replica`.
#   primary: accepting connections and writes (not in recovery, not read-only).
#   replica: in recovery, its WAL receiver streaming from the primary, and replay no more than
#            BALLAST_READY_MAX_REPLAY_LAG_BYTES behind what it has received.
# Exit 0 = ready; otherwise a one-line reason on stderr.
BALLAST_ROLE_NAME=ready
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

: "${BALLAST_READY_MAX_REPLAY_LAG_BYTES:=67108864}"
require_uint BALLAST_READY_MAX_REPLAY_LAG_BYTES

not_ready() {
  printf 'not ready: %s\n' "$*" >&2
  exit 1
}

case "${1:-}" in
  primary)
    state="$(local_psql -F ' ' -c "SELECT pg_catalog.pg_is_in_recovery(), pg_catalog.current_setting('transaction_read_only')" 2>/dev/null)" ||
      not_ready "server not accepting connections"
    [[ "$state" == "f off" ]] || not_ready "primary is in recovery or read-only ($state)"
    ;;
  replica)
    state="$(local_psql -F ' ' -v max_lag="$BALLAST_READY_MAX_REPLAY_LAG_BYTES" 2>/dev/null <<'SQL'
SELECT pg_catalog.pg_is_in_recovery(),
       coalesce((SELECT status FROM pg_catalog.pg_stat_wal_receiver), 'none'),
       coalesce(pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_last_wal_receive_lsn(), pg_catalog.pg_last_wal_replay_lsn()) <= :max_lag, false)
SQL
)" || not_ready "server not accepting connections"
    read -r recovering receiver caught_up <<<"$state"
    [[ "$recovering" == t ]] || not_ready "replica is not in recovery"
    [[ "$receiver" == streaming ]] || not_ready "WAL receiver is $receiver, not streaming"
    [[ "$caught_up" == t ]] || not_ready "replay is more than $BALLAST_READY_MAX_REPLAY_LAG_BYTES bytes behind"
    ;;
  *)
    die "usage: ready.sh primary|replica"
    ;;
esac
