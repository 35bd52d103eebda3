"""The requester's satisfaction answer once a request is resolved."""

from django.db import transaction

from core.audit import record
from support import policies
from support.models import (
    SatisfactionResponse,
    Status,
    SupportRequest,
)
from support.services._common import _lock
from support.services.workflow import _move


@transaction.atomic
def satisfaction_submit(
    *, actor, request: SupportRequest, score: int, comment: str = ""
) -> SatisfactionResponse:
    """The requesting side rates a resolved request once (1–5); rating closes it."""
    request = _lock(request)
    policies.can_rate.check(actor, request)
    response = SatisfactionResponse(
        request=request, score=score, comment=(comment or "").strip(), respondent=actor
    )
    response.full_clean(exclude=["request"])
    response.save()
    record(actor=actor, verb="satisfaction.submit", target=request, data={"score": score})
    _move(actor=actor, request=request, to_status=Status.CLOSED, note="")
    return response
