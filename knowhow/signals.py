"""Wiring only: a request's status change (support records a StatusChange row for each) re-indexes it after commit.

Support calls nothing in knowhow (knowhow depends on support, never the reverse), so the index follows support through
Django's post_save of StatusChange, connected at KnowhowConfig.ready(). Resolving or closing a request adds it to the
index; reopening keeps it until it is resolved again (then re-indexed). A case's summary is indexed by knowhow's own
services when it is published, edited or withdrawn.
"""

from django.db import transaction
from django.db.models.signals import post_save

from support.models import StatusChange


def on_status_change(sender, instance: StatusChange, created: bool, raw: bool = False, **kwargs) -> None:
    from knowhow.policies import PAST_STATUSES

    if raw or not created or instance.to_status not in PAST_STATUSES:
        return
    request_pk = instance.request_id

    def reindex():
        from knowhow.index import index_request
        from support.models import SupportRequest

        request = SupportRequest.objects.filter(pk=request_pk).first()
        if request is not None:
            index_request(request)

    transaction.on_commit(reindex)


def connect() -> None:
    post_save.connect(on_status_change, sender=StatusChange, dispatch_uid="knowhow.index.status_change")
