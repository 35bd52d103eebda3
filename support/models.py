"""Support requests and what hangs off them (comments, attachments, effort, status history, ratings).

A little over ~400 lines because the requests and assignments keep their query sets (named filters) beside them:
they are read together, and moving the two query sets to a querysets module would split one model's rules over two files.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from core.names import LocalizedName
from core.validators import no_control_characters
from skills.models import LEVEL_VALIDATORS, Skill, StaffProfile


class RequestCategory(LocalizedName, models.Model):
    """支援区分 (spec review, procurement support, website …). Data, so admins can add and retire them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.localized_name  # name_en in English (core.names)


class SkillRequirement(models.Model):
    """What a skill requirement says beyond its skill: the minimum level, its weight, and whether it is a must.
    Shared by a request's required skills and a category's skill profile."""

    min_level = models.PositiveSmallIntegerField(_("minimum level"), validators=LEVEL_VALIDATORS)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    mandatory = models.BooleanField(_("mandatory"), default=False)

    class Meta:
        abstract = True


class CategorySkill(SkillRequirement):
    """One line of a category's skill profile: the skills a request of the category usually needs (suggested at
    triage, see selectors.category_skill_suggestions). Reference data that administrators maintain."""

    category = models.ForeignKey(
        RequestCategory, on_delete=models.CASCADE, related_name="skill_profile", verbose_name=_("category")
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="category_profiles", verbose_name=_("skill")
    )

    class Meta:
        verbose_name = _("category skill")
        verbose_name_plural = _("category skill profile")
        ordering = ["category", "-mandatory", "-weight", "skill"]
        constraints = [models.UniqueConstraint(fields=["category", "skill"], name="category_skill_unique")]

    def __str__(self) -> str:
        return f"{self.category}: {self.skill} ≥ {self.min_level}"


class Phase(models.TextChoices):
    PLANNING = "planning", _("Planning")
    PROCUREMENT = "procurement", _("Procurement")
    DESIGN_BUILD = "design_build", _("Design & build")
    OPERATION = "operation", _("Operation")


class Priority(models.IntegerChoices):
    LOW = 0, _("Low")
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    URGENT = 3, _("Urgent")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_ON_REQUESTER = "waiting_on_requester", _("Waiting on requester")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (Status.SUBMITTED, Status.TRIAGED, Status.IN_PROGRESS, Status.WAITING_ON_REQUESTER)


def overdue_q(on, *, open_q: Q | None = None, at=None) -> Q:
    """期限超過: open and past a deadline it is still waiting on, on the day `on` (a date in Asia/Tokyo): its due
    date, its resolution due date, or — while not yet answered or triaged — its first-response or triage due date.
    A deadline falls due at the end of its day: due today is not overdue yet. The one definition of overdue.
    Open means an open status now; reports looking back at a moment `at` pass their own `open_q` (open at that
    moment) and `at` (answered or triaged by then counts)."""
    if at is None:
        unanswered, untriaged = Q(first_response_at__isnull=True), Q(triaged_at__isnull=True)
    else:
        unanswered = Q(first_response_at__isnull=True) | Q(first_response_at__gt=at)
        untriaged = Q(triaged_at__isnull=True) | Q(triaged_at__gt=at)
    late = (
        Q(due_date__lt=on)
        | Q(resolution_due__lt=on)
        | (Q(first_response_due__lt=on) & unanswered)
        | (Q(triage_due__lt=on) & untriaged)
    )
    return (Q(status__in=OPEN_STATUSES) if open_q is None else open_q) & late


class SupportRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, on):
        return self.filter(overdue_q(on))


class RequestSequence(models.Model):
    """The last reference number issued per fiscal year; locked when issuing so numbers are never reused."""

    fiscal_year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")

    def __str__(self) -> str:
        return f"FY{self.fiscal_year}: {self.last_number}"


class SupportRequest(models.Model):
    """支援依頼: one request for technical support from a bureau or municipality."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), db_index=True)
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    description = models.TextField(_("description"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name=_("organisation"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name=_("requester"),
    )
    category = models.ForeignKey(
        RequestCategory, on_delete=models.PROTECT, related_name="requests", verbose_name=_("category")
    )
    phase = models.CharField(_("project phase"), max_length=20, choices=Phase.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.SUBMITTED)
    desired_start = models.DateField(_("desired start"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    engagement = models.ForeignKey(
        "support.Engagement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        verbose_name=_("came out of engagement"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: Service-level due dates (support/sla.py): business days after submission by the request's service level;
    #: recomputed when its priority or category changes. Empty when no service level applies.
    first_response_due = models.DateField(_("first response due"), null=True, blank=True)
    triage_due = models.DateField(_("triage due"), null=True, blank=True)
    resolution_due = models.DateField(_("resolution due"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-submitted_at"], name="request_status_idx"),
            models.Index(fields=["organization", "-submitted_at"], name="request_org_idx"),
            models.Index(fields=["category", "-submitted_at"], name="request_category_idx"),
            models.Index(fields=["fiscal_year", "status"], name="request_fy_status_idx"),
            models.Index(fields=["due_date"], name="request_due_idx"),
            models.Index(fields=["resolved_at"], name="request_resolved_idx"),
            models.Index(fields=["status", "resolution_due"], name="request_status_resolution_idx"),
            models.Index(fields=["resolution_due", "id"], name="request_resolution_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_date__isnull=True)
                | models.Q(desired_start__isnull=True)
                | models.Q(due_date__gte=models.F("desired_start")),
                name="request_due_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        super().clean()
        if self.desired_start and self.due_date and self.due_date < self.desired_start:
            raise ValidationError(
                {
                    "due_date": ValidationError(
                        _("The due date cannot be before the desired start."), code="due_before_start"
                    )
                }
            )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def missed_deadlines(self, on) -> list[str]:
        """The deadlines this open request is past on the day `on` (names of the date fields), in `overdue_q`'s
        terms; empty when it is not overdue."""
        if not self.is_open:
            return []
        pending = {
            "first_response_due": self.first_response_at is None,
            "triage_due": self.triaged_at is None,
            "resolution_due": True,
            "due_date": True,
        }
        return [name for name, waiting in pending.items() if waiting and (getattr(self, name) or on) < on]

    def is_overdue(self, on) -> bool:
        """The instance form of `overdue_q`."""
        return bool(self.missed_deadlines(on))


class RequiredSkill(SkillRequirement):
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="required_skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="required_by")

    class Meta:
        verbose_name = _("required skill")
        verbose_name_plural = _("required skills")
        ordering = ["request", "-mandatory", "-weight", "skill"]
        constraints = [models.UniqueConstraint(fields=["request", "skill"], name="required_skill_unique")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.skill} ≥ {self.min_level}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")
    REVIEWER = "reviewer", _("Reviewer")


HOURS = DecimalField(max_digits=6, decimal_places=1)


def active_assignment_q(prefix: str = "", at=None) -> Q:
    """An assignment is active while it is not released. With `at`, active at that moment (assigned before it and
    not yet released then). `prefix` reaches assignments through a relation (e.g. "assignments__")."""
    if at is None:
        return Q(**{f"{prefix}released_at__isnull": True})
    return Q(**{f"{prefix}assigned_at__lt": at}) & (
        Q(**{f"{prefix}released_at__isnull": True}) | Q(**{f"{prefix}released_at__gte": at})
    )


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active_assignment_q())

    def allocated_hours(self):
        """Hours/week allocated by these assignments (0 when none): one aggregate query."""
        return self.aggregate(total=Coalesce(Sum("allocated_hours_per_week"), Value(0), output_field=HOURS))[
            "total"
        ]

    def allocated_hours_subquery(self, staff=None) -> Subquery:
        """Hours/week of a person's active assignments, correlated on the outer staff row (`staff`, by default
        OuterRef("pk")); NULL when none — wrap in Coalesce."""
        return Subquery(
            self.active()
            .filter(staff_id=OuterRef("pk") if staff is None else staff)
            .order_by()
            .values("staff_id")
            .annotate(total=Sum("allocated_hours_per_week"))
            .values("total")[:1],
            output_field=HOURS,
        )


class Assignment(models.Model):
    """担当割当: a person from the talent pool working on a request. Active while not released."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(
        _("role"), max_length=12, choices=AssignmentRole.choices, default=AssignmentRole.MEMBER
    )
    allocated_hours_per_week = models.DecimalField(
        _("allocated hours/week"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("released by"),
    )
    override_reason = models.TextField(_("reason for exceeding capacity"), blank=True)
    #: The period worked (both days included); empty = open-ended on that side. Defaults from the request's desired
    #: start and due date (staffing.services.assignment_create).
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["request", "role", "assigned_at"]
        indexes = [models.Index(fields=["staff", "released_at"], name="assignment_active_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "staff"],
                condition=active_assignment_q(),
                name="assignment_one_active_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.staff} ({self.role})"


class Comment(models.Model):
    """A public comment (visible to the requester) or an internal note (ICT side only)."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments", verbose_name=_("author")
    )
    body = models.TextField(_("comment"))
    internal = models.BooleanField(_("internal note"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["request", "internal", "created"], name="comment_request_idx")]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.body[:40]}"


def attachment_path(instance, filename: str) -> str:
    return f"attachments/{instance.request_id}/{filename}"


class StoredDocument(models.Model):
    """What every stored document keeps beside its file (a request's attachment, an engagement's material): the
    uploaded name, checked content type, size, who uploaded it and when. Checked on upload (support.attachments) and
    served only through permission-checked views. Each subclass has its `file` (its own storage path)."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.original_name


class Attachment(StoredDocument):
    """A document on a request, served only through a permission-checked view."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    internal = models.BooleanField(_("internal"), default=False)

    class Meta(StoredDocument.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class EffortLog(models.Model):
    """Hours an ICT staff member spent on a request on a day. Never shown to requesters."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="effort_logs")
    staff = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="effort_logs")
    worked_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0.25), MaxValueValidator(24)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("effort log")
        verbose_name_plural = _("effort logs")
        ordering = ["-worked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.hours} h on {self.worked_on}"


class StatusChange(models.Model):
    """Who moved a request from what to what, when, with what note."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


#: A rating at or below this, overall or in any dimension, alerts the managers and asks for a follow-up.
LOW_SATISFACTION = 2


def low_satisfaction_q(prefix: str = "") -> Q:
    """A low rating (the query form of `SatisfactionResponse.is_low`); `prefix` reaches it through a relation
    (e.g. "satisfaction__" from a request)."""
    return (
        Q(**{f"{prefix}score__lte": LOW_SATISFACTION})
        | Q(**{f"{prefix}frequency__lte": LOW_SATISFACTION})
        | Q(**{f"{prefix}quality__lte": LOW_SATISFACTION})
    )


def _one_to_five(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{name}__isnull": True}) | models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
        name=f"satisfaction_{name}_1_5",
    )


class SatisfactionResponse(models.Model):
    """満足度アンケート: one per request, from the requesting organisation — overall, and the two dimensions the
    seeds name (「サポートの頻度や品質」: how often and how well we supported; optional, empty on older answers)."""

    request = models.OneToOneField(SupportRequest, on_delete=models.CASCADE, related_name="satisfaction")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    frequency = models.PositiveSmallIntegerField(
        _("frequency of support"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    quality = models.PositiveSmallIntegerField(
        _("quality of support"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("respondent")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("satisfaction response")
        verbose_name_plural = _("satisfaction responses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="satisfaction_score_1_5"
            ),
            _one_to_five("frequency"),
            _one_to_five("quality"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.score}"

    @property
    def is_low(self) -> bool:
        """Low overall or in any dimension: the managers are alerted and follow it up."""
        scores = (self.score, self.frequency, self.quality)
        return any(value is not None and value <= LOW_SATISFACTION for value in scores)


class SatisfactionFollowUp(models.Model):
    """What the ICT managers did about a rating (usually a low one): a call, a meeting, a change of staff."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="satisfaction_follow_ups"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    note = models.TextField(_("note"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("satisfaction follow-up")
        verbose_name_plural = _("satisfaction follow-ups")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.note[:40]}"


from support.engagement_models import *  # noqa: E402,F403 — engagements live in their own module
from support.saved_view_models import *  # noqa: E402,F403 — saved views of the request lists (lists)
from support.sla_models import *  # noqa: E402,F403 — service levels live in their own module
