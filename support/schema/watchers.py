"""GraphQL mutations of a request's watchers: the same policies and services as the request page."""

import graphene
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.api.mutations import signed_in
from support import policies, services
from support.schema.mutations import SupportErrorCode, SupportRequestMutation


def _person(user_id, email):
    """The user named by id or e-mail address (exactly one of them); None when there is nobody by that name — the
    service then refuses them like any non-colleague (NOT_COLLEAGUE), so the answer says nothing about accounts
    outside the requester's organisation."""
    if bool(user_id) == bool(email):
        raise ValidationError(
            {
                "user_id": ValidationError(
                    _("Give either a user id or an e-mail address."), code="user_required"
                )
            }
        )
    users = get_user_model().objects.select_related("organization")
    if email:
        return users.filter(email__iexact=email.strip()).first()
    try:
        return users.filter(pk=int(user_id)).first()
    except (TypeError, ValueError):
        return None


class WatcherArguments:
    reference = graphene.String(required=True)
    user_id = graphene.ID(description="The colleague's user id (as `Me.id`).")
    email = graphene.String(description="…or their e-mail address.")


class AddRequestWatcher(SupportRequestMutation):
    Arguments = WatcherArguments

    class Meta:
        description = (
            "The requesting side adds a colleague of the requesting organisation as a watcher: they see the request "
            "and are told of its public comments and status changes (never internal notes)."
        )
        object_permission = policies.can_manage_watchers
        error_codes = SupportErrorCode

    @classmethod
    def perform_mutation(cls, info, user, target, user_id=None, email=None, **_rest):
        services.watcher_add(actor=user, request=target, user=_person(user_id, email))
        return cls.request_payload(user, target)


class RemoveRequestWatcher(SupportRequestMutation):
    Arguments = WatcherArguments

    class Meta:
        description = (
            "The requesting side removes a watcher; a watcher may remove themselves (stop watching)."
        )
        permission = signed_in  # the service asks can_remove_watcher (the watcher may remove themselves)
        error_codes = SupportErrorCode

    @classmethod
    def perform_mutation(cls, info, user, target, user_id=None, email=None, **_rest):
        person = _person(user_id, email)
        if person is None:
            raise ValidationError(
                {
                    "user_id": ValidationError(
                        _("This person does not watch the request."), code="not_watching"
                    )
                }
            )
        services.watcher_remove(actor=user, request=target, user=person)
        return cls.request_payload(user, target)


class Mutation(graphene.ObjectType):
    add_request_watcher = AddRequestWatcher.Field()
    remove_request_watcher = RemoveRequestWatcher.Field()
