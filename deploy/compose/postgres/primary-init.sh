#!/bin/bash
# Runs once, when the primary's data directory is initialised (/docker-entrypoint-initdb.d):
# a replication role and a physical slot for the read replica of docker-compose.yml.
set -euo pipefail
replication_password="$(cat /run/secrets/replication_password)"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$replication_password" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'pw';
SELECT pg_create_physical_replication_slot('replica_1');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
