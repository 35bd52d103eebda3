"""Who may see or do what with engagements (the municipal pillar) — one rule, one place (DESIGN.md §6).

Seeing is one decision (`_engagements_seen`) asked two ways: `engagement_scope(user)` filters querysets and
`can_view_engagement(user, e)` answers for one engagement. The ICT side sees every engagement; a requester sees
the engagements their organisation took part in or asked for; HR sees none one by one, only the aggregates
(coverage, the progress report). Acting rules are `core.policies.Rule`s (yes/no and `.check` from one function).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role, is_hr, is_ict, is_manager
from core.policies import denied, rule, state_error
from support.engagement_models import Engagement, EngagementKind, EngagementStatus

ALL = "all"


def _engagements_seen(user):
    if not getattr(user, "is_authenticated", False):
        return None
    if is_ict(user):
        return ALL
    if has_role(user, Role.REQUESTER) and user.organization_id is not None:
        return user.organization_id
    return None


def of_organization(organization_id) -> Q:
    """The engagements an organisation took part in or asked for."""
    taking_part = Engagement.organizations.through.objects.filter(organization_id=organization_id).values(
        "engagement_id"
    )
    return Q(pk__in=taking_part) | Q(requesting_organization_id=organization_id)


def engagement_scope(user) -> Q:
    seen = _engagements_seen(user)
    if seen == ALL:
        return Q()
    if seen is None:
        return Q(pk__in=[])
    return of_organization(seen)


def linkable_to_request(organization_id) -> Q:
    """The engagements a request of this organisation may say it came out of: the organisation's own (those it
    took part in or asked for — what its requesters see), not declined."""
    return of_organization(organization_id) & ~Q(status=EngagementStatus.DECLINED)


def can_view_engagement(user, engagement: Engagement) -> bool:
    seen = _engagements_seen(user)
    if seen == ALL:
        return True
    if seen is None:
        return False
    return engagement.requesting_organization_id == seen or any(
        org.pk == seen for org in engagement.organizations.all()
    )


def can_list_engagements(user) -> bool:
    return _engagements_seen(user) is not None


def sees_all_engagements(user) -> bool:
    return _engagements_seen(user) == ALL


def can_view_organization(user, organization) -> bool:
    """The 360° view: the ICT side for every organisation, a requester for their own."""
    seen = _engagements_seen(user)
    return seen == ALL or (seen is not None and organization.pk == seen)


def can_view_aggregates(user) -> bool:
    """Coverage of the municipalities and the progress report: ICT managers, HR and admins."""
    return is_manager(user) or is_hr(user)


def can_write_narrative(user) -> bool:
    return is_manager(user)


@rule
def can_record_engagement(user):
    if not is_manager(user):
        return denied(_("Only ICT managers record engagements."))
    return None


@rule
def can_request_outreach(user):
    if not (has_role(user, Role.REQUESTER) and user.organization_id is not None):
        return denied(_("Only requesters ask for an outreach consultation for their organisation."))
    return None


def _not_now(engagement, message, code):
    return state_error("status", message, code, status=engagement.get_status_display())


@rule
def can_schedule_engagement(user, engagement: Engagement):
    """The bureau accepts a requested outreach consultation (or moves a scheduled one) and sets its date."""
    if not is_manager(user):
        return denied(_("Only ICT managers schedule engagements."))
    if engagement.status not in (EngagementStatus.REQUESTED, EngagementStatus.SCHEDULED):
        return _not_now(
            engagement,
            _("Only a requested or scheduled engagement can be scheduled; this one is “%(status)s”."),
            "not_schedulable",
        )
    return None


@rule
def can_decline_engagement(user, engagement: Engagement):
    if not is_manager(user):
        return denied(_("Only ICT managers decline outreach requests."))
    if engagement.status != EngagementStatus.REQUESTED or engagement.kind != EngagementKind.OUTREACH:
        return _not_now(
            engagement,
            _("Only a requested outreach consultation can be declined; this one is “%(status)s”."),
            "not_requested",
        )
    return None


@rule
def can_edit_engagement(user, engagement: Engagement):
    """Correct a recorded engagement (date and time, theme, organisations, participants, staff, materials): ICT
    managers, once it is scheduled or held (a requested consultation is scheduled, not edited)."""
    if not is_manager(user):
        return denied(_("Only ICT managers edit engagements."))
    if engagement.status not in (EngagementStatus.SCHEDULED, EngagementStatus.HELD):
        return _not_now(
            engagement,
            _("Only a scheduled or held engagement can be edited; this one is “%(status)s”."),
            "not_scheduled",
        )
    return None


@rule
def can_record_outcome(user, engagement: Engagement):
    """Held: participants, outcomes, follow-ups, satisfaction and materials, once it is scheduled or held."""
    if not is_manager(user):
        return denied(_("Only ICT managers record what came of an engagement."))
    if engagement.status not in (EngagementStatus.SCHEDULED, EngagementStatus.HELD):
        return _not_now(
            engagement,
            _("Only a scheduled or held engagement has outcomes; this one is “%(status)s”."),
            "not_scheduled",
        )
    return None
