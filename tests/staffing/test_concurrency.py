"""Capacity holds under concurrency: two managers assigning the same person at the same moment.

On PostgreSQL two threads, each with its own database connection, assign the same person to two different
requests; each assignment alone fits, both together exceed capacity. The first thread makes its assignment and
keeps its transaction open; the second must then *wait* on the person's row lock (we watch it appear in pg_locks)
and, once the first commits, recompute the allocated hours and be refused. Without `select_for_update()` the second
would not wait, would read the uncommitted-away hours as free, and both would succeed — so the test can fail.

On SQLite there are no row locks: writers serialise on the whole database, and the test database is an in-memory
shared-cache database on which a second writer fails at once ("database table is locked") instead of waiting. A
thread race there would test SQLite's locking, not ours, so on SQLite the same two service calls run one after the
other through the same code path (and the same assertions hold).
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from staffing import services
from support.models import Assignment

WAIT_SECONDS = 10


def _blocked_queries() -> list[str]:
    """The statements of this database's sessions now waiting for a lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND a.datname = current_database()"
        )
        return [row[0] for row in cursor.fetchall()]


def _race_on_postgresql(*, actors, staff, first_request, second_request) -> dict[str, object]:
    outcome: dict[str, object] = {}
    first_done = threading.Event()
    let_first_commit = threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                services.assignment_create(actor=actors[0], request=first_request, staff=staff, hours=6)
                first_done.set()
                let_first_commit.wait(WAIT_SECONDS)
            outcome["first"] = "ok"
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            outcome["first"] = error
        finally:
            first_done.set()
            connections.close_all()

    def second() -> None:
        try:
            services.assignment_create(actor=actors[1], request=second_request, staff=staff, hours=6)
            outcome["second"] = "ok"
        except Exception as error:  # noqa: BLE001
            outcome["second"] = error
        finally:
            connections.close_all()

    t1 = threading.Thread(target=first)
    t1.start()
    first_done.wait(WAIT_SECONDS)
    t2 = threading.Thread(target=second)
    t2.start()
    # Wait (bounded) until the second connection is blocked on the person's row, locked by the first.
    deadline = time.monotonic() + WAIT_SECONDS
    blocked: list[str] = []
    while time.monotonic() < deadline and t2.is_alive() and not blocked:
        blocked = _blocked_queries()
        time.sleep(0.005)
    outcome["second_waited"] = any("skills_staffprofile" in query for query in blocked)
    let_first_commit.set()
    t1.join(WAIT_SECONDS)
    t2.join(WAIT_SECONDS)
    return outcome


def _sequential(*, actors, staff, first_request, second_request) -> dict[str, object]:
    outcome: dict[str, object] = {"second_waited": True}
    for key, actor, request in (("first", actors[0], first_request), ("second", actors[1], second_request)):
        try:
            services.assignment_create(actor=actor, request=request, staff=staff, hours=6)
            outcome[key] = "ok"
        except ValidationError as error:
            outcome[key] = error
    return outcome


@pytest.mark.django_db(transaction=True)
def test_two_managers_cannot_overbook_the_same_person(ict_manager, make_user, make_staff, make_request):
    other_manager = make_user("manager2@example.com", "ict_staff", "ict_manager")
    staff = make_staff("busy@example.com", capacity=10, levels={"security": 4})
    first_request, second_request = make_request(), make_request()
    race = _race_on_postgresql if connection.vendor == "postgresql" else _sequential
    outcome = race(
        actors=(ict_manager, other_manager),
        staff=staff,
        first_request=first_request,
        second_request=second_request,
    )
    second = outcome["second"]
    summary = (
        outcome["first"],
        outcome["second_waited"],
        isinstance(second, ValidationError) and second.error_dict["hours"][0].code,
        Assignment.objects.filter(staff=staff, released_at__isnull=True).count(),
    )
    assert summary == ("ok", True, "over_capacity", 1)
