"""Carry the old single switch (`User.notify_optional`) over to per-kind preferences: whoever had opted out of the
optional mails keeps them off by mail (in the inbox they stay on). The kinds the switch governed were the status
changes and the public comments; the satisfaction request is essential now and the certificate reminders never
followed the switch."""

from django.db import migrations

OPTIONAL_KINDS = ("status_changed", "public_comment")


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Preference = apps.get_model("notifications", "NotificationPreference")
    opted_out = User.objects.filter(notify_optional=False).values_list("pk", flat=True)
    Preference.objects.bulk_create(
        [Preference(user_id=pk, kind=kind, email=False, in_app=True) for pk in opted_out for kind in OPTIONAL_KINDS],
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Preference = apps.get_model("notifications", "NotificationPreference")
    off = Preference.objects.filter(kind__in=OPTIONAL_KINDS, email=False).values_list("user_id", flat=True)
    User.objects.filter(pk__in=list(off)).update(notify_optional=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organisation_hierarchy"),
        ("notifications", "0001_notifications_and_preferences"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
