"""What must hold in the database after the workload (read with the ORM in the test process)."""

from collections import Counter
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from core.models import AuditEvent
from skills.models import StaffProfile
from support.models import (
    Assignment,
    Comment,
    RequestSequence,
    SatisfactionResponse,
    StatusChange,
    SupportRequest,
)


def snapshot() -> dict:
    """Highest ids before the workload, so the audit check looks at what the cluster wrote."""
    return {
        "status_change": StatusChange.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        "assignment": Assignment.objects.order_by("-id").values_list("id", flat=True).first() or 0,
    }


def free_hours(email: str) -> Decimal:
    staff = StaffProfile.objects.get(user__email=email)
    allocated = Assignment.objects.active().filter(staff=staff).allocated_hours()
    return staff.capacity_hours_per_week - allocated


def nobody_over_capacity() -> str | None:
    over = (
        StaffProfile.objects.annotate(
            allocated=Coalesce(
                Sum("assignments__allocated_hours_per_week", filter=Q(assignments__released_at=None)),
                Decimal(0),
            )
        )
        .filter(allocated__gt=F("capacity_hours_per_week"))
        .exclude(assignments__released_at=None, assignments__override_reason__gt="")
    )
    names = [
        f"{p.user.email}: {p.allocated}/{p.capacity_hours_per_week}" for p in over.select_related("user")
    ]
    return "; ".join(names) or None


def references_unique_without_gaps() -> str | None:
    problems = []
    numbers_by_year: dict[int, list[int]] = {}
    for reference, year in SupportRequest.objects.values_list("reference", "fiscal_year"):
        numbers_by_year.setdefault(year, []).append(int(reference.rsplit("-", 1)[1]))
    for year, numbers in sorted(numbers_by_year.items()):
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))[:5]
            dupes = [n for n, count in Counter(numbers).items() if count > 1][:5]
            problems.append(f"FY{year}: missing {missing} duplicated {dupes}")
        last = RequestSequence.objects.filter(fiscal_year=year).values_list("last_number", flat=True).first()
        if last is not None and last != max(numbers):
            problems.append(f"FY{year}: sequence at {last}, highest reference {max(numbers)}")
    return "; ".join(problems) or None


def audit_trail_complete(since: dict) -> str | None:
    request_type = ContentType.objects.get_for_model(SupportRequest)
    events = AuditEvent.objects.filter(target_type=request_type)
    moves = Counter(
        (str(c.request_id), c.from_status, c.to_status)
        for c in StatusChange.objects.filter(id__gt=since["status_change"]).exclude(from_status="")
    )
    audited = Counter(
        (e.target_id, e.data.get("from"), e.data.get("to"))
        for e in events.filter(verb="request.status", target_id__in={key[0] for key in moves})
    )
    missing = moves - audited
    submitted = set(
        StatusChange.objects.filter(id__gt=since["status_change"], from_status="").values_list(
            "request_id", flat=True
        )
    )
    unaudited_submissions = {str(pk) for pk in submitted} - set(
        events.filter(verb="request.submit").values_list("target_id", flat=True)
    )
    assignment_type = ContentType.objects.get_for_model(Assignment)
    assignments = {
        str(pk) for pk in Assignment.objects.filter(id__gt=since["assignment"]).values_list("id", flat=True)
    }
    unaudited_assignments = assignments - set(
        AuditEvent.objects.filter(target_type=assignment_type, verb="assignment.create").values_list(
            "target_id", flat=True
        )
    )
    problems = []
    if missing:
        problems.append(f"status changes without an event: {sorted(missing)[:5]}")
    if unaudited_submissions:
        problems.append(f"submissions without an event: {sorted(unaudited_submissions)[:5]}")
    if unaudited_assignments:
        problems.append(f"assignments without an event: {sorted(unaudited_assignments)[:5]}")
    if not moves or not assignments:
        problems.append("the workload wrote no status change or assignment to check")
    return "; ".join(problems) or None


def satisfactions(references: list[str]) -> Counter:
    return Counter(
        SatisfactionResponse.objects.filter(request__reference__in=references).values_list(
            "request__reference", flat=True
        )
    )


def triaged_once(references: list[str]) -> str | None:
    counts = Counter(
        StatusChange.objects.filter(request__reference__in=references, to_status="triaged").values_list(
            "request__reference", flat=True
        )
    )
    wrong = {ref: counts.get(ref, 0) for ref in references if counts.get(ref, 0) != 1}
    return f"triaged transitions per request: {wrong}" if wrong else None


def comments_on(references: list[str]) -> int:
    return Comment.objects.filter(request__reference__in=references, body__startswith="追記").count()


def imported(titles: list[str]) -> int:
    return SupportRequest.objects.filter(title__in=titles).count()
