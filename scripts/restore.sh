#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into an EMPTY PostgreSQL database.
#
#   scripts/restore.sh FILE [TARGET_DATABASE_URL]
#
# TARGET defaults to DATABASE_URL. Create the target first (`createdb -O dxdesk dxdesk_restored`). The restore runs in
# one transaction and stops at the first error, so it either restores everything or leaves the target as it was.
# It refuses a target that already has tables: restore next to the live database, check it, then point
# DATABASE_URL at it (docs/deploy.md, "Restore"). Afterwards it refreshes the planner statistics (ANALYZE) and prints
# the row count of every table, to compare with the source.
set -euo pipefail

dump=${1:?usage: scripts/restore.sh FILE [TARGET_DATABASE_URL]}
target=${2:-${DATABASE_URL:-}}
if [[ -z "$target" ]]; then
  echo "restore.sh: give the target database URL (or set DATABASE_URL)" >&2
  exit 2
fi
pg_restore --list "$dump" >/dev/null

tables=$(psql "$target" -XtAc "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
if [[ "$tables" != "0" ]]; then
  echo "restore.sh: the target database already has $tables tables; restore into an empty database" >&2
  exit 3
fi

pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname "$target" "$dump"
psql "$target" -XqAc "ANALYZE"
echo "restored $dump; rows per table:"
psql "$target" -XtA -F ' ' <<'SQL'
SELECT format('%I.%I', n.nspname, c.relname),
       (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1;
SQL
