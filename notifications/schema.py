"""GraphQL of the notification inbox and the per-kind preferences: the same selectors and services as the pages."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene_django import DjangoObjectType

from core.api.errors import FieldError, require_user
from core.api.mutations import BaseMutation, error_code_enum, signed_in
from core.api.relay import CountableConnection, ScopedConnectionField, pk_from_global_id
from notifications import selectors, services
from notifications.models import Notification

NotificationsErrorCode = error_code_enum(
    "NotificationsErrorCode",
    ("nothing_selected", "invalid_id", "unknown_kind", "essential_kind"),
    "notifications",
)


class NotificationNode(DjangoObjectType):
    """One notice in the signed-in user's inbox (every mail the product sends lands here too)."""

    unread = graphene.Boolean(required=True)

    class Meta:
        model = Notification
        name = "Notification"
        fields = ("id", "kind", "subject", "body", "url", "created_at", "read_at")
        interfaces = (graphene.relay.Node,)
        connection_class = CountableConnection

    def resolve_unread(root, info):
        return root.read_at is None

    @classmethod
    def get_node(cls, info, id):
        return selectors.inbox_for(require_user(info)).filter(pk=id).first()


class NotificationPreferenceType(graphene.ObjectType):
    """The user's choice for one kind of notification (an essential kind is always sent both ways)."""

    class Meta:
        name = "NotificationPreference"

    kind = graphene.String(required=True)
    label = graphene.String(required=True)
    essential = graphene.Boolean(required=True)
    email = graphene.Boolean(required=True)
    in_app = graphene.Boolean(required=True)

    def resolve_kind(row, info):
        return row["kind"].name

    def resolve_label(row, info):
        return str(row["kind"].label)

    def resolve_essential(row, info):
        return row["kind"].essential


class Query(graphene.ObjectType):
    notifications = ScopedConnectionField(
        NotificationNode,
        unread_only=graphene.Boolean(description="Only the notices not read yet."),
        description="Your notices, unread first, then newest first.",
    )
    unread_notification_count = graphene.Int(
        required=True, description="How many of your notices are unread."
    )
    notification_preferences = graphene.List(
        graphene.NonNull(NotificationPreferenceType),
        required=True,
        description="Every kind of notification with your choice for it (mail, inbox).",
    )

    def resolve_notifications(root, info, unread_only=False, **_page):
        return selectors.inbox_for(require_user(info), unread_only=bool(unread_only))

    def resolve_unread_notification_count(root, info):
        return selectors.unread_count(require_user(info))

    def resolve_notification_preferences(root, info):
        return selectors.preference_rows(require_user(info))


class MarkNotificationsRead(BaseMutation):
    class Arguments:
        ids = graphene.List(
            graphene.NonNull(graphene.ID), description="The notices to mark (Notification ids)."
        )
        all = graphene.Boolean(default_value=False, description="Mark every unread notice of yours.")

    count = graphene.Int(description="How many notices were marked read.")
    unread_count = graphene.Int(description="How many of your notices are still unread.")
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        description = (
            "Mark some (`ids`) or all (`all: true`) of your notices as read; others' ids change nothing."
        )
        permission = signed_in
        error_codes = NotificationsErrorCode

    @classmethod
    def perform_mutation(cls, info, user, target, ids=None, all=False, **_rest):  # noqa: A002
        pks = []
        for value in ids or []:
            pk = pk_from_global_id(value, "Notification")
            if pk is None:
                raise ValidationError(
                    {"ids": ValidationError(_("Not a notification id."), code="invalid_id")}
                )
            pks.append(pk)
        changed = services.notifications_mark_read(actor=user, ids=pks, all=bool(all))
        user.__dict__.pop("_dx_unread_notifications", None)
        return cls.success(count=changed, unread_count=selectors.unread_count(user))


class NotificationPreferenceInput(graphene.InputObjectType):
    kind = graphene.String(required=True)
    email = graphene.Boolean(required=True)
    in_app = graphene.Boolean(required=True)


class UpdateNotificationPreferences(BaseMutation):
    class Arguments:
        preferences = graphene.List(graphene.NonNull(NotificationPreferenceInput), required=True)

    preferences = graphene.List(graphene.NonNull(NotificationPreferenceType))
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        description = (
            "Choose, per kind, whether a notification reaches you by mail and in the inbox. Kinds left out keep "
            "their setting; essential kinds cannot be switched off (ESSENTIAL_KIND)."
        )
        permission = signed_in
        error_codes = NotificationsErrorCode

    @classmethod
    def perform_mutation(cls, info, user, target, preferences, **_rest):
        services.notification_preferences_update(
            actor=user, preferences={p.kind: (p.email, p.in_app) for p in preferences}
        )
        return cls.success(preferences=selectors.preference_rows(user))


class Mutation(graphene.ObjectType):
    mark_notifications_read = MarkNotificationsRead.Field()
    update_notification_preferences = UpdateNotificationPreferences.Field()
