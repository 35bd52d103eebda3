"""Team rules (チーム編成ルール): reads and the one write (admin and seeds go through `team_rule_save`, audited).

The rule of a request is its category's, else the default rule (no category), else none (no kinds required, no
learner offered).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core import audit
from staffing import policies
from staffing.matching.practice import TeamPractice
from staffing.models import TeamRule

FIELDS = ("requires_specialist", "requires_ict_officer", "learner_optional", "note")


def rule_list() -> QuerySet:
    return TeamRule.objects.select_related("category").order_by("category__order", "category__code")


def practices() -> tuple[dict[int, TeamPractice], TeamPractice | None]:
    """({category_id: practice}, the default practice or None): one query."""
    by_category: dict[int, TeamPractice] = {}
    default = None
    for rule in TeamRule.objects.order_by():
        practice = practice_of(rule)
        if rule.category_id is None:
            default = practice
        else:
            by_category[rule.category_id] = practice
    return by_category, default


def practice_for(category_id: int | None) -> TeamPractice | None:
    """The practice for a request of this category (its rule, else the default rule): one query."""
    by_category, default = practices()
    return by_category.get(category_id, default)


def practice_of(rule: TeamRule) -> TeamPractice:
    return TeamPractice(required_kinds=rule.required_kinds, learner_optional=rule.learner_optional)


@transaction.atomic
def team_rule_save(*, actor, rule: TeamRule) -> TeamRule:
    """Create or change a team rule (validated; audited with the values before and after)."""
    if actor is not None and not policies.can_edit_team_rules(actor):
        raise PermissionDenied(_("Only ICT managers may change team rules."))
    before = None
    if rule.pk:
        old = TeamRule.objects.filter(pk=rule.pk).values(*FIELDS, "category_id").first()
        before = {k: str(v) for k, v in old.items()} if old else None
    rule.full_clean()
    rule.save()
    audit.record(
        actor=actor,
        verb="team_rule.save",
        target=rule,
        data={
            "category": rule.category.code if rule.category_id else None,
            "before": before,
            "after": {k: str(getattr(rule, k)) for k in (*FIELDS, "category_id")},
            "internal": True,
        },
    )
    return rule


def practice_data(skill_ids) -> tuple[dict[int, str], dict[int, frozenset[int]], dict[int, frozenset[int]]]:
    """What a rule needs about the pool: ({staff_id: kind}, {staff_id: skills they want to learn}, {staff_id:
    skills they can mentor}) — interests in the required skills only. Two queries."""
    from collections import defaultdict

    from skills.models import SkillInterest, StaffProfile

    kinds = dict(StaffProfile.objects.filter(active=True).order_by().values_list("pk", "kind"))
    wants: dict[int, set[int]] = defaultdict(set)
    mentors: dict[int, set[int]] = defaultdict(set)
    rows = SkillInterest.objects.filter(skill_id__in=list(skill_ids)).order_by()
    for staff_id, skill_id, learn, mentor in rows.values_list(
        "staff_id", "skill_id", "wants_to_learn", "can_mentor"
    ):
        if learn:
            wants[staff_id].add(skill_id)
        if mentor:
            mentors[staff_id].add(skill_id)
    return kinds, {k: frozenset(v) for k, v in wants.items()}, {k: frozenset(v) for k, v in mentors.items()}
