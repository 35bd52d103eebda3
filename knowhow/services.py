"""Writes of know-how: publish / update / withdraw a case, link and unlink related requests.

Keyword-only, `actor=` first, atomic, checked by knowhow.policies, validated, audited. Publishing, editing or
withdrawing a case re-indexes its request (the summary is part of what similarity reads, and `public` decides who
may be shown it).
"""

from django.db import transaction
from django.utils import timezone

from core.audit import record
from knowhow import index, policies
from knowhow.models import Case, CaseStatus, RequestLink
from support.models import SupportRequest

CASE_FIELDS = ("title", "problem", "actions", "lessons", "documents", "show_organization")


@transaction.atomic
def case_publish(*, actor, request: SupportRequest, **fields) -> Case:
    """Write the public summary of a resolved request and publish it (again, when it was withdrawn)."""
    policies.can_publish_case.check(actor, request)
    case = Case.objects.select_for_update().filter(request=request).first()
    created = case is None
    if created:
        case = Case(request=request, author=actor, published_at=timezone.now())
    for name in CASE_FIELDS:
        if name in fields and fields[name] is not None:
            value = fields[name]
            setattr(case, name, value.strip() if isinstance(value, str) else value)
    if case.status != CaseStatus.PUBLISHED:
        case.status = CaseStatus.PUBLISHED
        case.published_at = timezone.now()
    case.full_clean()
    case.save()
    request.case = case
    index.index_request(request)
    record(
        actor=actor,
        verb="case.publish" if created else "case.update",
        target=case,
        data={"request": request.reference, "show_organization": case.show_organization},
    )
    return case


@transaction.atomic
def case_withdraw(*, actor, case: Case) -> Case:
    """Take a case out of the library (kept, visible to the ICT side, publishable again)."""
    case = Case.objects.select_for_update().select_related("request").get(pk=case.pk)
    policies.can_withdraw_case.check(actor, case)
    case.status = CaseStatus.WITHDRAWN
    case.save(update_fields=["status", "updated_at"])
    index.index_request(case.request)
    record(actor=actor, verb="case.withdraw", target=case, data={"request": case.request.reference})
    return case


def _ordered(a: SupportRequest, b: SupportRequest) -> tuple[SupportRequest, SupportRequest]:
    return (a, b) if a.pk < b.pk else (b, a)


@transaction.atomic
def link_add(*, actor, request: SupportRequest, other: SupportRequest) -> RequestLink:
    """Mark two requests as related (idempotent: linking twice keeps one link)."""
    policies.can_link_requests.check(actor, request, other)
    low, high = _ordered(request, other)
    link, created = RequestLink.objects.get_or_create(
        from_request=low, to_request=high, defaults={"created_by": actor}
    )
    if created:
        record(actor=actor, verb="request.link", target=request, data={"other": other.reference})
    return link


@transaction.atomic
def link_remove(*, actor, request: SupportRequest, other: SupportRequest) -> int:
    policies.can_link_requests.check(actor, request, other)
    low, high = _ordered(request, other)
    deleted, _ = RequestLink.objects.filter(from_request=low, to_request=high).delete()
    if deleted:
        record(actor=actor, verb="request.unlink", target=request, data={"other": other.reference})
    return deleted
