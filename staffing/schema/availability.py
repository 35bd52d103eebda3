"""GraphQL for capacity over time: `staffAvailability(staff, from, to)` and the team rules (`teamRules`)."""

import datetime as dt

import graphene
from graphene_django import DjangoObjectType

from core.api.errors import ExpectedError, Forbidden, NotFound, require_user
from core.api.relay import pk_from_global_id
from core.fiscal import today
from skills.schema import StaffProfileNode
from staffing import calendar, policies, team_rules
from staffing.availability import DEFAULT_PERIOD_WEEKS
from staffing.models import Absence, AbsenceKind
from staffing.schema.types import AssignmentNode

AbsenceKindEnum = graphene.Enum.from_enum(AbsenceKind, name="AbsenceKind")


class AvailabilityPeriod(graphene.ObjectType):
    """Hours of one person over a period (both days included), counted in business days (開庁日)."""

    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date(required=True)
    business_days = graphene.Int(
        required=True, description="Weekdays that are not holidays or the year-end closure."
    )
    capacity = graphene.Float(required=True, description="Hours the person works in the period.")
    absent = graphene.Float(required=True, description="Hours of leave and training.")
    allocated = graphene.Float(required=True, description="Hours committed to active assignments.")
    free = graphene.Float(
        required=True, description="capacity − absent − allocated (negative when overbooked)."
    )


class AbsenceNode(DjangoObjectType):
    """休暇・研修: days a person is (partly) away."""

    kind = AbsenceKindEnum(required=True)
    hours_per_day = graphene.Float(description="Null: the whole working day.")

    class Meta:
        model = Absence
        name = "Absence"
        fields = ("starts_on", "ends_on", "kind", "hours_per_day", "note")

    def resolve_kind(root, info):
        return root.kind

    def resolve_hours_per_day(root, info):
        return None if root.hours_per_day is None else float(root.hours_per_day)


class StaffAvailability(graphene.ObjectType):
    staff = graphene.Field(StaffProfileNode, required=True)
    total = graphene.Field(AvailabilityPeriod, required=True)
    weeks = graphene.List(
        graphene.NonNull(AvailabilityPeriod), required=True, description="Monday to Sunday."
    )
    absences = graphene.List(graphene.NonNull(AbsenceNode), required=True)
    assignments = graphene.List(graphene.NonNull(AssignmentNode), required=True)


class TeamRuleType(graphene.ObjectType):
    """A team rule (チーム編成ルール): who works on a request of a category as a team."""

    class Meta:
        name = "TeamRule"

    category_code = graphene.String(description="Null: the default rule.")
    requires_specialist = graphene.Boolean(required=True)
    requires_ict_officer = graphene.Boolean(required=True)
    learner_optional = graphene.Boolean(required=True)
    note = graphene.String(required=True)

    def resolve_category_code(root, info):
        return root.category.code if root.category_id else None


class Query(graphene.ObjectType):
    staff_availability = graphene.Field(
        StaffAvailability,
        required=True,
        staff=graphene.ID(required=True, description="Global id or e-mail address."),
        from_=graphene.Date(name="from", description="Default: today."),
        to=graphene.Date(description=f"Default: {DEFAULT_PERIOD_WEEKS} weeks after `from`. At most a year."),
        description="Free hours per week within a period, with absences and assignments. ICT managers (anyone), "
        "ICT staff (themselves).",
    )
    team_rules = graphene.List(
        graphene.NonNull(TeamRuleType), required=True, description="The team rules. ICT managers."
    )

    def resolve_staff_availability(root, info, staff, from_=None, to=None):
        user = require_user(info)
        if not policies.can_view_availability(user):
            raise Forbidden("Only the ICT side sees availability.")
        pk = pk_from_global_id(staff, "StaffProfile")
        found = (
            calendar.find_staff_for_availability(user, pk=pk)
            if pk is not None
            else calendar.find_staff_for_availability(user, email=staff if "@" in (staff or "") else None)
        )
        if found is None:
            raise NotFound("No such person in the talent pool.")
        start = from_ or today()
        end = to or start + dt.timedelta(weeks=DEFAULT_PERIOD_WEEKS, days=-1)
        try:
            return calendar.staff_availability_for(user, found, start, end)
        except ValueError:
            raise ExpectedError(
                f"`to` must be on or after `from` and within {calendar.MAX_DAYS} days.", code="INVALID_PERIOD"
            ) from None

    def resolve_team_rules(root, info):
        user = require_user(info)
        if not policies.can_edit_team_rules(user):
            raise Forbidden("Only ICT managers see the team rules.")
        return team_rules.rule_list()


__all__ = ["Query"]
