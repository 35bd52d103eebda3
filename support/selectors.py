"""Reads about support requests, already scoped to the user (support.policies) and already prefetched.

`request_get_for` returns None for a request the user may not see *and* for one that does not exist — callers
answer both the same way (404 in pages, NOT_FOUND/null in GraphQL).

A little over ~400 lines since the category skill suggestions joined (one home for "what skills does a request of
this category need", read by the triage page and GraphQL); it reads requests' history like the rest of this module.
"""

import datetime as dt
import functools
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection
from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import events_for
from core.fiscal import business_days_between, today
from core.models import AuditEvent
from skills.models import Skill
from support import policies
from support.models import (
    OPEN_STATUSES,
    Assignment,
    Attachment,
    CategorySkill,
    Comment,
    RequestCategory,
    RequiredSkill,
    SavedView,
    ServiceLevel,
    Status,
    StatusChange,
    SupportRequest,
    overdue_q,
)
from support.sla import waiting_since_cutoff


def active_assignments_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.active()
        .select_related("staff__user")
        .order_by("role", "assigned_at", "pk"),
        to_attr="active_assignments",
    )


def required_skills_prefetch() -> Prefetch:
    from support.models import RequiredSkill

    return Prefetch(
        "required_skills",
        queryset=RequiredSkill.objects.select_related("skill").order_by(
            "-mandatory", "-weight", "skill__code"
        ),
    )


def required_skill_list_prefetch() -> Prefetch:
    """The same rows as `required_skills_prefetch`, as a plain list in `required_skill_list` (no related manager
    and queryset per request: the GraphQL list reads it for up to 100 requests)."""
    prefetch = required_skills_prefetch()
    return Prefetch("required_skills", queryset=prefetch.queryset, to_attr="required_skill_list")


def _scoped(user) -> QuerySet:
    return SupportRequest.objects.filter(policies.request_scope(user))


def _with_extras(
    queryset: QuerySet, user, *, include_comments: bool, include_attachments: bool, filters: dict | None
) -> QuerySet:
    if include_comments:
        queryset = queryset.prefetch_related(
            Prefetch("comments", queryset=comment_queryset_for(user), to_attr="visible_comments")
        )
    if include_attachments:
        queryset = queryset.prefetch_related(
            Prefetch("attachments", queryset=attachment_queryset_for(user), to_attr="visible_attachments")
        )
    if filters:
        queryset = apply_filters(queryset, **filters)
    return queryset.order_by("-submitted_at", "-pk")


def request_list_for(
    user,
    *,
    with_details: bool = True,
    include_comments: bool = False,
    include_attachments: bool = False,
    filters: dict | None = None,
) -> QuerySet:
    """Every request the user may see, newest first, with organisation, category and requester joined and
    (with_details) active assignments and required skills prefetched — a constant number of queries per page.
    `include_comments`/`include_attachments` prefetch the ones the user may see into `visible_comments` /
    `visible_attachments`. `filters` (allow-listed keys: status, category, phase, organization, fiscal_year,
    search, overdue) narrow the list. Ordered newest first (indexed); `my_assigned_requests` gives the ICT side's own."""
    queryset = _scoped(user).select_related("organization", "category", "requester", "satisfaction")
    if with_details:
        queryset = queryset.prefetch_related(active_assignments_prefetch(), required_skills_prefetch())
    return _with_extras(
        queryset,
        user,
        include_comments=include_comments,
        include_attachments=include_attachments,
        filters=filters,
    )


def _json_rows(queryset: QuerySet, fields: dict) -> Subquery:
    """ARRAY(SELECT json_build_object(...) FROM <queryset> ORDER BY ...) for the outer request row (PostgreSQL)."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models.functions import JSONObject

    return ArraySubquery(queryset.values(row=JSONObject(**fields)))


@functools.cache
def required_skill_rows() -> Subquery:
    """The request's required skills as JSON objects with the RequiredSkill GraphQL type's fields (skill_code,
    skill_name, min_level, weight, mandatory), in `required_skills_prefetch`'s order. PostgreSQL only.

    Built once (annotating a queryset resolves a copy of the expression; this one is never changed)."""
    from support.models import RequiredSkill

    return _json_rows(
        RequiredSkill.objects.filter(request=OuterRef("pk")).order_by("-mandatory", "-weight", "skill__code"),
        {
            "skill_code": "skill__code",
            "skill_name": "skill__name",
            "min_level": "min_level",
            "weight": "weight",
            "mandatory": "mandatory",
        },
    )


@functools.cache
def active_assignment_rows() -> Subquery:
    """The request's active assignments as JSON objects (display_name, email, role, allocated_hours_per_week,
    assigned_at as ISO text), in `active_assignments_prefetch`'s order. PostgreSQL only. Built once."""
    return _json_rows(
        Assignment.objects.active().filter(request=OuterRef("pk")).order_by("role", "assigned_at", "pk"),
        {
            "display_name": "staff__user__display_name",
            "email": "staff__user__email",
            "role": "role",
            "allocated_hours_per_week": "allocated_hours_per_week",
            "assigned_at": "assigned_at",
        },
    )


def request_list_for_api(
    user,
    *,
    joins: Collection[str] = (),
    defer: Collection[str] = (),
    required_skills: bool = False,
    assignments: bool = False,
    assignment_models: bool = False,
    comments: bool = False,
    attachments: bool = False,
    filters: dict | None = None,
) -> QuerySet:
    """`request_list_for` for the GraphQL list: the same requests (scope, filters, order), joining and reading
    only what the query asked for (the GraphQL side, support.schema.queries, turns the fields asked for into
    these arguments) — a page of up to 100 requests should not build organisations, categories, requesters,
    skills and assignments nobody asked for.

    Required skills (when asked for and visible to the user) and active assignments (when asked for) come on
    PostgreSQL as JSON arrays in the request row itself (`required_skill_rows`, `assignment_rows`: no model
    instances, no extra query), elsewhere prefetched as lists (`required_skill_list`, `active_assignments`).
    Active assignments are also prefetched as models with `assignment_models` (permission checks read them).
    Comments and attachments as in `request_list_for`; `defer` leaves out columns nobody reads. A constant number
    of queries per page.
    """
    json_rows = connection.vendor == "postgresql"
    queryset = _scoped(user)
    if joins:
        queryset = queryset.select_related(*sorted(joins))
    if required_skills and policies.sees_internal(user):
        if json_rows:
            queryset = queryset.annotate(required_skill_rows=required_skill_rows())
        else:
            queryset = queryset.prefetch_related(required_skill_list_prefetch())
    if assignments and json_rows:
        queryset = queryset.annotate(assignment_rows=active_assignment_rows())
    if assignment_models or (assignments and not json_rows):
        queryset = queryset.prefetch_related(active_assignments_prefetch())
    if defer:
        queryset = queryset.defer(*sorted(defer))
    return _with_extras(
        queryset,
        user,
        include_comments=comments,
        include_attachments=attachments,
        filters=filters,
    )


def my_assigned_requests(user) -> QuerySet:
    """Open requests the user is actively assigned to (shown first on the ICT side's list page)."""
    if not policies.sees_all_requests(user):
        return SupportRequest.objects.none()
    mine = Assignment.objects.active().filter(staff__user=user).values("request_id")
    return (
        request_list_for(user)
        .filter(pk__in=mine, status__in=OPEN_STATUSES)
        .order_by("due_date", "-submitted_at")
    )


def of_organization(queryset: QuerySet, organization, *, include_sub_organizations: bool = True) -> QuerySet:
    """Requests of an organisation (an Organization or its code) — with 「下位組織を含む」 (the default) its
    departments' or sections' too. The one rule behind the list page's filter and the GraphQL list's argument."""
    from accounts.selectors import descendant_ids, descendant_ids_by_code

    if isinstance(organization, str):
        if not include_sub_organizations:
            return queryset.filter(organization__code=organization)
        return queryset.filter(organization_id__in=descendant_ids_by_code(organization))
    if not include_sub_organizations:
        return queryset.filter(organization_id=organization.pk)
    return queryset.filter(organization_id__in=descendant_ids(organization.pk))


def apply_filters(
    queryset: QuerySet,
    *,
    status: str | None = None,
    category: str | None = None,
    phase: str | None = None,
    organization: str | None = None,
    include_sub_organizations: bool = True,
    fiscal_year: int | None = None,
    search: str | None = None,
    overdue: bool | None = None,
) -> QuerySet:
    if overdue is not None:
        late = overdue_q(today())
        queryset = queryset.filter(late) if overdue else queryset.exclude(late)
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category__code=category)
    if phase:
        queryset = queryset.filter(phase=phase)
    if organization:
        queryset = of_organization(
            queryset, organization, include_sub_organizations=include_sub_organizations
        )
    if fiscal_year:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    if search and search.strip():
        term = search.strip()
        queryset = queryset.filter(Q(reference__iexact=term) | Q(title__icontains=term))
    return queryset


def saved_views_for(user, list_name: str | None = None) -> QuerySet:
    """The user's own saved views (of one list when `list_name` is given), by name."""
    if not getattr(user, "is_authenticated", False):
        return SavedView.objects.none()
    views = SavedView.objects.filter(user=user)
    if list_name is not None:
        views = views.filter(list_name=list_name)
    return views.order_by("list_name", "name", "pk")


def saved_view_get_for(user, pk) -> SavedView | None:
    """One of the user's own saved views by id (another user's looks like a missing one)."""
    try:
        return saved_views_for(user).filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


# --- service levels (sla): named conditions the list filters and the home page share ----------------------------

#: Waiting on the requester at least this many business days is "too long" (home page of the ICT side).
WAITING_TOO_LONG_DAYS = 5


def waiting_on_requester_q(days: int, *, on: dt.date | None = None) -> Q:
    """Waiting on the requester for at least `days` business days (since it last entered that status)."""
    cutoff = waiting_since_cutoff(days, on=on)
    recent = StatusChange.objects.filter(
        request=OuterRef("pk"), to_status=Status.WAITING_ON_REQUESTER, created__gte=cutoff
    )
    return Q(status=Status.WAITING_ON_REQUESTER) & ~Exists(recent)


def to_rate_q() -> Q:
    """Resolved and not yet rated: the requester is asked for their satisfaction."""
    return Q(status=Status.RESOLVED, satisfaction__isnull=True)


def triage_queue_for(user) -> QuerySet:
    """Managers' queue: every request (filters narrow it; submitted first by default in the view)."""
    if not policies.can_triage(user):
        return SupportRequest.objects.none()
    return (
        SupportRequest.objects.select_related("organization", "category", "requester")
        .prefetch_related(required_skills_prefetch())
        .order_by("submitted_at", "pk")
    )


def request_get_for(user, *, reference: str | None = None, pk: int | None = None) -> SupportRequest | None:
    """One request by reference or id if the user may see it, else None (same answer as "does not exist")."""
    if reference is None and pk is None:
        return None
    queryset = request_list_for(user).select_related("organization__parent")
    lookup = {"reference": reference} if reference is not None else {"pk": pk}
    try:
        return queryset.filter(**lookup).first()
    except (ValueError, TypeError):
        return None


def comment_queryset_for(user) -> QuerySet:
    return (
        Comment.objects.filter(policies.entry_scope(user)).select_related("author").order_by("created", "pk")
    )


def comment_list_for(user, request: SupportRequest) -> QuerySet:
    """Comments on a request the user can see; internal notes only for the ICT side."""
    if not policies.can_view_request(user, request):
        return Comment.objects.none()
    return comment_queryset_for(user).filter(request=request)


def comment_get_for(user, *, pk) -> Comment | None:
    """A comment by id (GraphQL node), through its parent's scope."""
    try:
        return (
            comment_queryset_for(user)
            .filter(pk=pk, request__in=_scoped(user))
            .select_related("request")
            .first()
        )
    except (ValueError, TypeError):
        return None


def attachment_queryset_for(user) -> QuerySet:
    return (
        Attachment.objects.filter(policies.entry_scope(user))
        .select_related("uploaded_by")
        .order_by("created", "pk")
    )


def attachment_list_for(user, request: SupportRequest) -> QuerySet:
    if not policies.can_view_request(user, request):
        return Attachment.objects.none()
    return attachment_queryset_for(user).filter(request=request)


def attachment_get_for(user, request: SupportRequest, pk) -> Attachment | None:
    try:
        return attachment_list_for(user, request).filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


def effort_list_for(user, request: SupportRequest) -> QuerySet:
    from support.models import EffortLog

    if not policies.sees_internal(user):
        return EffortLog.objects.none()
    return (
        EffortLog.objects.filter(request=request).select_related("staff__user").order_by("-worked_on", "-pk")
    )


VERB_LABELS = {
    "request.submit": _("Request filed"),
    "request.update": _("Request edited"),
    "request.triage": _("Triage decision"),
    "request.status": _("Status changed"),
    "request.required_skills": _("Required skills set"),
    "request.import": _("Imported"),
    "comment.add": _("Comment"),
    "attachment.add": _("File attached"),
    "effort.log": _("Effort logged"),
    "satisfaction.submit": _("Satisfaction rated"),
    "satisfaction.follow_up": _("Satisfaction followed up"),
    "assignment.create": _("Staff assigned"),
    "assignment.release": _("Staff released"),
}


def verb_label(verb: str) -> str:
    if verb in VERB_LABELS:
        return VERB_LABELS[verb]
    if verb.startswith("assignment."):
        return _("Assignment changed")
    return verb


# Audit verbs a requester never sees in the timeline (besides events marked internal).
ICT_ONLY_VERBS = ("effort.", "request.required_skills", "request.import", "satisfaction.follow_up")


def timeline_for(user, request: SupportRequest) -> list[AuditEvent]:
    """The request's history from the audit events (oldest first): status changes, comments, attachments,
    assignments (events on the request or on its assignments). For requesters, internal events are left out."""
    from django.contrib.contenttypes.models import ContentType

    events = list(events_for(request))
    assignment_ids = [str(pk) for pk in request.assignments.values_list("pk", flat=True)]
    if assignment_ids:
        assignment_type = ContentType.objects.get_for_model(Assignment)
        events += list(
            AuditEvent.objects.filter(
                target_type=assignment_type, target_id__in=assignment_ids
            ).select_related("actor")
        )
        events.sort(key=lambda e: (e.created, e.pk))
    if not policies.sees_internal(user):
        events = [
            e for e in events if not (e.data or {}).get("internal") and not e.verb.startswith(ICT_ONLY_VERBS)
        ]
    comments = {c.pk: c for c in comment_list_for(user, request)}
    attachments = {a.pk: a for a in attachment_list_for(user, request)}
    for event in events:
        data = event.data or {}
        event.comment = comments.get(data.get("comment_id"))
        event.attachment = attachments.get(data.get("attachment_id"))
        event.label = verb_label(event.verb)
        if data.get("from") or data.get("to"):
            event.from_label = Status(data["from"]).label if data.get("from") in Status.values else ""
            event.to_label = Status(data["to"]).label if data.get("to") in Status.values else ""
    return events


def durations(request: SupportRequest) -> dict[str, int | None]:
    """Business days (fiscal calendar) from submission to first response, resolution and close."""

    def span(end):
        return business_days_between(request.submitted_at, end) if end else None

    return {
        "first_response": span(request.first_response_at),
        "resolution": span(request.resolved_at),
        "close": span(request.closed_at),
    }


def service_level_list() -> QuerySet:
    """Every service level, priority defaults first (category-specific ones after, by category order)."""
    return ServiceLevel.objects.select_related("category").order_by(
        F("category__order").asc(nulls_first=True), "category__code", "-priority"
    )


def category_list(*, active_only: bool = True) -> QuerySet:
    queryset = RequestCategory.objects.all()
    return queryset.filter(active=True) if active_only else queryset


def skills_by_code(codes) -> dict[str, Skill]:
    """Skills for codes given by users (forms, imports, GraphQL); unknown codes are simply absent."""
    return {skill.code: skill for skill in Skill.objects.filter(code__in=list(codes))}


def active_skills() -> QuerySet:
    return Skill.objects.filter(active=True).select_related("category")


#: History refines a category's profile from its resolved requests rated at least GOOD_SCORE: a skill required on at
#: least HISTORY_SHARE of them is suggested too.
GOOD_SCORE = 4
HISTORY_SHARE = 0.3


class SuggestionSource:
    PROFILE = "profile"  # the category's skill profile (reference data)
    HISTORY = "history"  # required on ≥ HISTORY_SHARE of the category's well-rated resolved requests


@dataclass(frozen=True)
class SkillSuggestion:
    skill: Skill
    min_level: int
    weight: int
    mandatory: bool
    source: str
    share: float | None  # of the well-rated resolved requests that required it (None: no such request)


def category_skill_suggestions(category: RequestCategory, *, as_of: dt.datetime | None = None) -> list:
    """The required skills to suggest when triaging a request of `category`: its skill profile, refined from the
    requests of the category resolved (by `as_of`, default now) and rated ≥ GOOD_SCORE — a skill those required on
    ≥ HISTORY_SHARE of them is added (source HISTORY, with their typical level and weight, never mandatory).
    Profile lines come first (mandatory, then by weight), then history ones by share. At most four queries.

    Not scoped to a user: it reads counts, never a request; callers decide who may see it (the ICT side)."""
    as_of = as_of or timezone.now()
    good = SupportRequest.objects.filter(
        category=category, resolved_at__lte=as_of, satisfaction__score__gte=GOOD_SCORE
    )
    total = good.count()
    used = {
        row["skill_id"]: row
        for row in RequiredSkill.objects.filter(request__in=good)
        .values("skill_id")
        .annotate(n=Count("request", distinct=True), level=Avg("min_level"), weight=Avg("weight"))
    }

    def share(skill_id) -> float | None:
        return used[skill_id]["n"] / total if total and skill_id in used else (0.0 if total else None)

    suggestions = [
        SkillSuggestion(
            line.skill,
            line.min_level,
            line.weight,
            line.mandatory,
            SuggestionSource.PROFILE,
            share(line.skill_id),
        )  # fmt: skip
        for line in CategorySkill.objects.filter(category=category, skill__active=True)
        .select_related("skill")
        .order_by("-mandatory", "-weight", "skill__order", "skill__code")
    ]
    in_profile = {suggestion.skill.pk for suggestion in suggestions}
    frequent = {
        skill_id: row
        for skill_id, row in used.items()
        if skill_id not in in_profile and row["n"] >= HISTORY_SHARE * total
    }
    history = [
        SkillSuggestion(
            skill,
            round(frequent[skill.pk]["level"]),
            round(frequent[skill.pk]["weight"]),
            False,
            SuggestionSource.HISTORY,
            frequent[skill.pk]["n"] / total,
        )  # fmt: skip
        for skill in Skill.objects.filter(pk__in=frequent, active=True)
    ]
    return suggestions + sorted(history, key=lambda s: (-s.share, s.skill.code))


def satisfaction_follow_up_list(request: SupportRequest) -> list:
    """What the managers did about the request's rating, oldest first (the caller shows it to the ICT side only)."""
    from support.models import SatisfactionFollowUp

    return list(
        SatisfactionFollowUp.objects.filter(request=request)
        .select_related("author")
        .order_by("created", "pk")
    )
