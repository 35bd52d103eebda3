"""Know-how: the similarity index over past requests, the case library (好事例集) and links between requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import no_control_characters
from support.models import SupportRequest


class Term(models.Model):
    """One term of the index (a character bigram, a word `w:…` or a concept `k:…`) and its document frequency."""

    text = models.CharField(_("term"), max_length=40, unique=True)
    document_count = models.PositiveIntegerField(_("documents"), default=0)

    class Meta:
        verbose_name = _("index term")
        verbose_name_plural = _("index terms")

    def __str__(self) -> str:
        return self.text


class Posting(models.Model):
    """Term → request with the term's weight in the request (sublinear tf, L2-normalised). `organization` and
    `public` are copied from the request and its case so that a requester's scope is applied inside the index."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+", db_index=False)
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField()
    organization_id = models.IntegerField()
    public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("index posting")
        verbose_name_plural = _("index postings")
        indexes = [
            # Covering: a suggestion reads only this index (an index-only scan on PostgreSQL).
            models.Index(
                fields=["term", "request", "weight", "public", "organization_id"], name="knowhow_posting_term"
            )
        ]
        constraints = [models.UniqueConstraint(fields=["request", "term"], name="knowhow_posting_unique")]

    def __str__(self) -> str:
        return f"{self.term_id} → {self.request_id}"


class CaseStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Case(models.Model):
    """The public summary of a resolved request, in the case library when published."""

    request = models.OneToOneField(
        SupportRequest, on_delete=models.CASCADE, related_name="case", verbose_name=_("request")
    )
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    problem = models.TextField(_("problem"))
    actions = models.TextField(_("what was done"))
    lessons = models.TextField(_("lessons"), blank=True)
    documents = models.TextField(_("documents"), blank=True, help_text=_("One document or link a line."))
    show_organization = models.BooleanField(
        _("show the requesting organisation"),
        default=False,
        help_text=_("Otherwise the case shows only the kind of organisation."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.PUBLISHED
    )
    published_at = models.DateTimeField(_("published at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="knowhow_case_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED


class RequestLink(models.Model):
    """Two requests a staff member marked as related; stored once (lower pk first) and shown from both sides."""

    from_request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="+")
    to_request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("related requests")
        verbose_name_plural = _("related requests")
        constraints = [
            models.UniqueConstraint(fields=["from_request", "to_request"], name="knowhow_link_unique"),
            models.CheckConstraint(
                condition=Q(from_request__lt=models.F("to_request")), name="knowhow_link_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_request_id} ↔ {self.to_request_id}"
