"""The requester's satisfaction answer once a request is resolved."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import record
from support import notifications, policies
from support.models import (
    SatisfactionFollowUp,
    SatisfactionResponse,
    Status,
    SupportRequest,
)
from support.services._common import _lock, _managers
from support.services.workflow import _move


@transaction.atomic
def satisfaction_submit(
    *,
    actor,
    request: SupportRequest,
    score: int,
    comment: str = "",
    frequency: int | None = None,
    quality: int | None = None,
) -> SatisfactionResponse:
    """The requesting side rates a resolved request once: overall, and optionally the frequency and the quality of
    the support (each 1–5); rating closes it. A low rating (≤ 2 overall or in a dimension) alerts the managers."""
    request = _lock(request)
    policies.can_rate.check(actor, request)
    response = SatisfactionResponse(
        request=request,
        score=score,
        frequency=frequency,
        quality=quality,
        comment=(comment or "").strip(),
        respondent=actor,
    )
    response.full_clean(exclude=["request"])
    response.save()
    record(
        actor=actor,
        verb="satisfaction.submit",
        target=request,
        data={"score": score, "frequency": frequency, "quality": quality},
    )
    _move(actor=actor, request=request, to_status=Status.CLOSED, note="")
    if response.is_low:
        notifications.notify(
            "low_satisfaction", request, _managers(), {"actor": actor, "satisfaction": response}
        )
    return response


@transaction.atomic
def satisfaction_follow_up_record(*, actor, request: SupportRequest, note: str) -> SatisfactionFollowUp:
    """An ICT manager records what was done about the rating (a call, a meeting, a change of staff)."""
    request = _lock(request)
    policies.can_follow_up.check(actor, request)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": ValidationError(_("Say what was done."), code="note_required")})
    follow_up = SatisfactionFollowUp(request=request, author=actor, note=note)
    follow_up.full_clean(exclude=["request", "author"])
    follow_up.save()
    record(actor=actor, verb="satisfaction.follow_up", target=request, data={})
    return follow_up
