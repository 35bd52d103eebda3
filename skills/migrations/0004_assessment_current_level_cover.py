"""A covering index for the current level of a few skills across the whole pool (candidate ranking reads the
current validated level of a request's 2–5 required skills for every person: 5,000 people × 40 skills at national
scale). With it, `skills.selectors.current_levels` (DISTINCT ON skill, person over the latest-first order) is an
index-only scan instead of reading the table's pages. PostgreSQL only (partial index with INCLUDE); a no-op
elsewhere.
"""

from django.db import migrations

NAME = "assessment_validated_cover_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON skills_skillassessment "
        "(skill_id, staff_id, assessed_on DESC, id DESC) INCLUDE (level) WHERE status = 'validated'"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0003_alter_skillassessment_options"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
