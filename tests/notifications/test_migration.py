"""The old single switch `User.notify_optional` becomes per-kind preferences: whoever had opted out keeps the optional
mails (status changes, comments) off — in the inbox they stay on."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("accounts", "0003_organisation_hierarchy"),
    ("notifications", "0001_notifications_and_preferences"),
]
AFTER = [
    ("accounts", "0004_remove_user_notify_optional"),
    ("notifications", "0002_preferences_from_notify_optional"),
]


@pytest.mark.django_db(transaction=True)
def test_opt_out_becomes_per_kind_mail_preferences():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    quiet = User.objects.create(email="quiet@example.com", notify_optional=False)
    User.objects.create(email="loud@example.com", notify_optional=True)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Preference = new.get_model("notifications", "NotificationPreference")
    rows = sorted(Preference.objects.values_list("user_id", "kind", "email", "in_app"))
    assert rows == [(quiet.pk, "public_comment", False, True), (quiet.pk, "status_changed", False, True)]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as the other tests expect it
