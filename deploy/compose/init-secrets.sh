#!/bin/sh
# Creates the local secrets docker-compose.yml reads, under .data/compose/ (ignored by git):
#   api-keys.txt              API_KEYS_FILE: hashed keys (name=role:sha256:<hex>); plain keys printed once
#   postgres-password.txt     password of the `oksio` database user
#   replication-password.txt  password of the `replicator` role (read replica)
#   app.env                   PII_MASTER_KEY and PGPASSWORD for the API, worker and CLI containers
# Existing files are kept (delete .data/compose to start over). Needs openssl and sha256sum.
set -eu
cd "$(dirname "$0")/../.."
dir=.data/compose
mkdir -p "$dir"
chmod 0700 "$dir"
umask 077

hashed() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

if [ ! -f "$dir/api-keys.txt" ]; then
  echo "# name=role:sha256:<hex>; add entries with: npm run cli -- apikey hash <key> --name n --role r" > "$dir/api-keys.txt"
  for role in admin system support auditor; do
    key="oksio-$role-$(openssl rand -hex 20)"
    echo "local-$role=$role:sha256:$(hashed "$key")" >> "$dir/api-keys.txt"
    echo "API key ($role): $key"
  done
  echo "(keys are shown once; only their SHA-256 is stored in $dir/api-keys.txt)"
fi
[ -f "$dir/postgres-password.txt" ] || openssl rand -hex 24 > "$dir/postgres-password.txt"
[ -f "$dir/replication-password.txt" ] || openssl rand -hex 24 > "$dir/replication-password.txt"
if [ ! -f "$dir/app.env" ]; then
  {
    echo "PII_MASTER_KEY=$(openssl rand -hex 32)"
    echo "PGPASSWORD=$(cat "$dir/postgres-password.txt")"
  } > "$dir/app.env"
fi
# The containers run as uid 1000 (app) and 999 (postgres) and compose secrets are bind mounts of
# these files: readable inside, while the 0700 directory keeps them private on the host.
chmod 0644 "$dir"/*.txt
echo "secrets in $dir; now: docker compose --profile eventstoredb up -d --build  (or --profile postgresql)"
