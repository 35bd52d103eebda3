from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One thing that happened: who did what to which object, with details. Append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
        verbose_name=_("actor"),
    )
    verb = models.CharField(_("verb"), max_length=64)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("target type")
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created"], name="audit_target_idx")]

    def __str__(self) -> str:
        when = f"{self.created:%Y-%m-%d %H:%M}" if self.created else "(unsaved)"
        return f"{when} {self.verb} {self.target_type_id}:{self.target_id}"


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """One e-mail to send, written in the same transaction as the business change that caused it (core.mail).

    A task delivers it after the commit; a row stays `pending` until the mail server took it (`sent`) or every
    attempt failed (`failed`). `idempotency_key` is unique: a sender that passes its own key (e.g. one reminder per
    certificate and threshold) can never queue the same mail twice.
    """

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"), blank=True)
    html = models.TextField(_("HTML body"), blank=True)
    from_email = models.CharField(_("from"), max_length=254)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("cc"), default=list, blank=True)
    bcc = models.JSONField(_("bcc"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.state} {self.subject[:60]}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A long piece of work run by a task, for one user: an import's dry run or write, a backlog plan, an export.

    The page polls `done`/`total` for its progress bar; the task stores what it produced in `result` (an import
    report, a plan) and, for a download, a file. Only the user who started a job sees it.
    """

    kind = models.CharField(_("kind"), max_length=64)  # e.g. "import:skills", "plan:backlog"
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("user")
    )
    state = models.CharField(_("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    step = models.CharField(_("step"), max_length=32, blank=True)  # e.g. "validate", "write"
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    file = models.FileField(_("file"), upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "kind", "created"], name="job_user_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.state}"

    @property
    def progress(self) -> int:
        """0–100; a finished job is 100."""
        if self.state in (JobState.DONE, JobState.FAILED):
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)

    @property
    def finished_ok(self) -> bool:
        return self.state == JobState.DONE

    @property
    def is_over(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
