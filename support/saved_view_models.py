"""Saved views (保存したビュー): a user's named filter set of one request list, kept as its query string.

Imported at the end of support/models.py so Django registers the model in the support app. Written by
support.services.saved_views (which keeps only the list's own filter keys), read by support.selectors.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import no_control_characters

__all__ = ["SavedView", "SavedViewList"]


class SavedViewList(models.TextChoices):
    REQUESTS = "requests", _("Support requests")
    TRIAGE = "triage", _("Triage queue")


class SavedView(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80, validators=[no_control_characters])
    list_name = models.CharField(_("list"), max_length=20, choices=SavedViewList.choices)
    query_string = models.CharField(_("filters"), max_length=2000, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["list_name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_unique_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name
