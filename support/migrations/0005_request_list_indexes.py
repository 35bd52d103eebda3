"""Indexes for the request lists at national scale, on PostgreSQL only (a no-op elsewhere):

* pg_trgm GIN on UPPER(title): the list's search (`title__icontains`, which Django writes as
  UPPER(title::text) LIKE UPPER('%…%')) reads it instead of every row;
* UPPER(reference): the same search's `reference__iexact` half, so the OR of both stays an index scan;
* (submitted_at DESC, id DESC): the lists' order (newest first, ties by id; the triage queue reads it backwards),
  so that a deep page's keys come from an index-only scan (core.pagination.page_rows).

Raw SQL guarded by the database vendor: GIN/trigram indexes do not exist on SQLite.
"""

from django.db import migrations

INDEXES = (
    ("request_title_trgm", "USING gin (UPPER(title::text) gin_trgm_ops)"),
    ("request_reference_upper", "(UPPER(reference::text))"),
    ("request_submitted_id_idx", "(submitted_at DESC, id DESC)"),
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON support_supportrequest {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0004_category_skill_profile"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
