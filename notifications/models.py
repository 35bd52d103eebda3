"""In-app notices (the inbox) and each user's per-kind delivery preferences."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One notice in a user's inbox. Written by `notifications.services.deliver`, in the recipient's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # What the notice is about (a support request, a certification …): generic, so that this app knows no domain app.
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("target type")
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=~Q(idempotency_key=""), name="notification_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A user's choice for one kind. No row means the default: mail and inbox both on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    email = models.BooleanField(_("by e-mail"), default=True)
    in_app = models.BooleanField(_("in the inbox"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}"
