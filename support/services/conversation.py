"""Comments and attachments on a support request."""

from django.db import transaction

from accounts.roles import is_ict
from core.audit import record
from support import notifications, policies
from support.attachments import validate_upload
from support.models import (
    Attachment,
    Comment,
    Status,
    SupportRequest,
)
from support.selectors_watchers import watcher_recipients
from support.services._common import _active_staff_users, _lock, _store_attachment
from support.services.workflow import _move

# --- comments, attachments, effort, satisfaction ------------------------------------------------------------------


@transaction.atomic
def comment_add(*, actor, request: SupportRequest, body: str, internal: bool = False) -> Comment:
    """A public comment (the requester sees it) or an internal note (ICT side only). An ICT-side public comment
    is the first response; a requester's answer to a request waiting on them puts it back in progress."""
    body = (body or "").strip()
    request = _lock(request)
    policies.can_comment.check(actor, request, internal=internal)
    comment = Comment(request=request, author=actor, body=body, internal=internal)
    comment.full_clean()
    comment.save()
    record(
        actor=actor,
        verb="comment.add",
        target=request,
        data={"comment_id": comment.pk, "internal": internal},
    )
    if not internal and is_ict(actor) and request.first_response_at is None:
        request.first_response_at = comment.created
        request.save(update_fields=["first_response_at", "updated_at"])
    if (
        not internal
        and policies.is_requesting_side(actor, request)
        and (request.status == Status.WAITING_ON_REQUESTER)
    ):
        _move(actor=actor, request=request, to_status=Status.IN_PROGRESS, note="")
    if not internal:
        if policies.is_requesting_side(actor, request):
            recipients = [*_active_staff_users(request), request.requester, *watcher_recipients(request)]
        else:
            recipients = [request.requester, *watcher_recipients(request)]
        notifications.notify("public_comment", request, recipients, {"actor": actor, "comment": comment})
    return comment


@transaction.atomic
def attachment_add(*, actor, request: SupportRequest, file, internal: bool = False) -> Attachment:
    policies.can_attach.check(actor, request, internal=internal)
    name, content_type = validate_upload(file)
    return _store_attachment(
        actor=actor, request=request, uploaded=file, name=name, content_type=content_type, internal=internal
    )
