#!/bin/bash
# Read replica of docker-compose.yml (streaming replication, hot standby). Runs as the postgres
# user. First start: clone the primary with pg_basebackup into an empty $PGDATA (retrying until
# the primary accepts connections); later starts: just run the standby.
set -euo pipefail
replication_password="$(cat /run/secrets/replication_password)"
printf '*:*:*:replicator:%s\n' "$replication_password" > "$HOME/.pgpass"
chmod 0600 "$HOME/.pgpass"
mkdir -p "$PGDATA"
chmod 0700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup --host="${PRIMARY_HOST:-postgres}" --port=5432 --username=replicator \
      --pgdata="$PGDATA" --wal-method=stream --slot=replica_1 --write-recovery-conf --no-password; do
    echo "replica: primary not ready, retrying in 2 s" >&2
    rm -rf "${PGDATA:?}"/*
    sleep 2
  done
fi
# max_connections must be at least the primary's; feedback keeps long dumps on the replica from being cancelled.
exec postgres -c hot_standby=on -c hot_standby_feedback=on -c max_connections=300
