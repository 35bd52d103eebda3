#!/usr/bin/env bash
# Back up the PostgreSQL database: a custom-format dump (pg_dump -Fc), compressed, restorable table by table.
#
#   scripts/backup.sh [FILE]
#
# Connection: DATABASE_URL (postgres://user:password@host:port/name), else the usual PG* variables (PGHOST, …).
# FILE defaults to $BACKUP_DIR/dxdesk-<UTC time>.dump (BACKUP_DIR defaults to ./backups). With BACKUP_KEEP=N, only
# the newest N dumps in BACKUP_DIR are kept. The dump is checked readable (pg_restore --list) before the script
# says it is done; a failed or unreadable dump is removed and the script exits non-zero (so cron mails you).
# Restore with scripts/restore.sh; docs/deploy.md has the whole procedure.
set -euo pipefail

BACKUP_DIR=${BACKUP_DIR:-backups}
out=${1:-"$BACKUP_DIR/dxdesk-$(date -u +%Y%m%dT%H%M%SZ).dump"}
mkdir -p "$(dirname "$out")"
target=()
if [[ -n "${DATABASE_URL:-}" ]]; then
  target=(--dbname "$DATABASE_URL")
fi

partial="$out.partial"
trap 'rm -f "$partial"' EXIT
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file "$partial" "${target[@]}"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$out"
echo "backup written: $out ($(du -h "$out" | cut -f1))"

if [[ -n "${BACKUP_KEEP:-}" && -z "${1:-}" ]]; then
  # Oldest first by name (the names sort by time); keep the newest BACKUP_KEEP.
  mapfile -t dumps < <(ls -1 "$BACKUP_DIR"/dxdesk-*.dump 2>/dev/null | sort)
  excess=$(( ${#dumps[@]} - BACKUP_KEEP ))
  for (( i = 0; i < excess; i++ )); do rm -f -- "${dumps[$i]}"; echo "removed old backup: ${dumps[$i]}"; done
fi
