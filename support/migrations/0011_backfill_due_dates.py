"""Backfill the service-level due dates of the requests filed before service levels existed, from the levels present
(none on a fresh database: `load_reference` loads the defaults and recomputes the open requests then)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from core.fiscal import add_business_days, local_date

    ServiceLevel = apps.get_model("support", "ServiceLevel")
    SupportRequest = apps.get_model("support", "SupportRequest")
    levels = {(level.priority, level.category_id): level for level in ServiceLevel.objects.all()}
    if not levels:
        return
    changed = []
    rows = SupportRequest.objects.only("pk", "submitted_at", "priority", "category_id").order_by("pk")
    for request in rows.iterator(chunk_size=2000):
        level = levels.get((request.priority, request.category_id)) or levels.get((request.priority, None))
        if level is None:
            continue
        start = local_date(request.submitted_at)
        request.first_response_due = add_business_days(start, level.first_response_days)
        request.triage_due = add_business_days(start, level.triage_days)
        request.resolution_due = add_business_days(start, level.resolution_days)
        changed.append(request)
    SupportRequest.objects.bulk_update(
        changed, ["first_response_due", "triage_due", "resolution_due"], batch_size=2000
    )


class Migration(migrations.Migration):
    dependencies = [("support", "0010_service_levels")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
