import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Organization, OrganizationKind, User
from core.models import AuditEvent
from seeds.reference import load_reference

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Organization.objects.values_list("code", "name", "name_en", "kind", "parent__code")),
        sorted(Group.objects.values_list("name", flat=True)),
        sorted(Group.objects.values_list("name", "permissions__codename")),
    )


def test_reference_data_has_tokyos_62_municipalities():
    load_reference()
    counts = {
        kind: Organization.objects.filter(kind=kind).count()
        for kind in (
            OrganizationKind.WARD,
            OrganizationKind.CITY,
            OrganizationKind.TOWN,
            OrganizationKind.VILLAGE,
        )
    }
    assert counts == {
        "municipality_ward": 23,
        "municipality_city": 26,
        "municipality_town": 5,
        "municipality_village": 8,
    }
    assert Organization.objects.get(code="131016").name == "千代田区"
    assert Organization.objects.filter(kind=OrganizationKind.BUREAU).count() >= 15
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "requester",
        "ict_staff",
        "ict_manager",
        "hr",
        "admin",
    }


def test_loading_reference_data_twice_changes_nothing():
    load_reference()
    first, events = snapshot(), AuditEvent.objects.count()
    load_reference()
    assert snapshot() == first
    assert AuditEvent.objects.count() == events


def test_demo_accounts_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_demo_creates_one_account_per_role(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", scale=0.05)
    assert "requester@example.com" in capsys.readouterr().out
    for email, role in [
        ("requester@example.com", "requester"),
        ("staff@example.com", "ict_staff"),
        ("manager@example.com", "ict_manager"),
        ("hr@example.com", "hr"),
        ("admin@example.com", "admin"),
    ]:
        user = User.objects.get(email=email)
        assert user.check_password("demo-pass-2025")
        assert user.groups.filter(name=role).exists()


@pytest.mark.django_db(
    transaction=True
)  # flush TRUNCATEs: PostgreSQL refuses it inside the test's transaction
def test_demo_reset_empties_the_database_first(settings, make_user):
    settings.DEBUG = True
    make_user("someone-added-later@example.com", "requester")
    call_command("seed_demo", scale=0.05, reset=True)
    assert not User.objects.filter(email="someone-added-later@example.com").exists()
    assert User.objects.filter(email="requester@example.com").exists()
