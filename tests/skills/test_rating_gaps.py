"""The one self-versus-manager gap definition (skills.selectors.rating_gaps), shown on the validation page and in
HR's coverage report."""

import pytest
from django.urls import reverse

from skills import selectors, services
from skills.models import Skill, StaffProfile


@pytest.fixture
def rate(ict_manager, days_ago):
    """rate(profile, skill, self=4, manager=2, days=…) → a self-assessment and a manager answer `days` ago."""

    def make(profile, skill, *, own=None, manager=None, days=10):
        if own is not None:
            services.assessment_record_self(
                actor=profile.user, staff=profile, skill=skill, level=own, assessed_on=days_ago(days)
            )
        if manager is not None:
            services.assessment_record_manager(
                actor=ict_manager,
                staff=profile,
                skill=skill,
                level=manager,
                reason="面談",
                assessed_on=days_ago(days),
            )

    return make


def pairs(gaps):
    return [(gap.email, gap.skill_id, gap.self_level, gap.manager_level, gap.gap) for gap in gaps]


def test_latest_self_against_latest_manager_largest_first(make_profile, security, cloud, rate):
    ann, ben, cho = (
        make_profile("ann@example.com"),
        make_profile("ben@example.com"),
        make_profile("cho@example.com"),
    )
    rate(ann, security, own=5, manager=2, days=30)
    rate(ann, security, manager=4, days=5)  # the later manager rating replaces 2: gap 5 - 4
    rate(ben, cloud, own=1, manager=4)
    rate(cho, cloud, own=3, manager=3)  # agree: no gap
    rate(cho, security, own=4)  # nobody rated it but the person: no gap

    count, gaps = selectors.rating_gaps()

    assert count == 2
    assert pairs(gaps) == [
        ("ben@example.com", cloud.pk, 1, 4, -3),
        ("ann@example.com", security.pk, 5, 4, 1),
    ]


def test_a_pending_self_assessment_counts_and_limit_keeps_the_count(make_profile, security, cloud, rate):
    ann = make_profile("ann@example.com")
    rate(ann, security, own=3, manager=3, days=20)
    rate(ann, security, own=5, days=2)  # pending, newer than the manager's rating
    rate(ann, cloud, own=1, manager=2)

    count, gaps = selectors.rating_gaps(limit=1)

    assert count == 2
    assert pairs(gaps) == [("ann@example.com", security.pk, 5, 3, 2)]


def test_as_of_ignores_later_ratings(make_profile, security, rate, days_ago):
    ann = make_profile("ann@example.com")
    rate(ann, security, own=4, manager=2, days=30)
    rate(ann, security, manager=4, days=3)

    assert pairs(selectors.rating_gaps(as_of=days_ago(10))[1]) == [("ann@example.com", security.pk, 4, 2, 2)]
    assert selectors.rating_gaps() == (0, [])


def test_scope_is_active_staff_and_active_skills(make_profile, security, cloud, rate):
    ann, ben = make_profile("ann@example.com"), make_profile("ben@example.com")
    rate(ann, security, own=4, manager=2)
    rate(ann, cloud, own=1, manager=3)
    rate(ben, security, own=5, manager=1)
    StaffProfile.objects.filter(pk=ben.pk).update(active=False)
    Skill.objects.filter(pk=cloud.pk).update(active=False)

    assert pairs(selectors.rating_gaps()[1]) == [("ann@example.com", security.pk, 4, 2, 2)]


def test_validation_page_shows_the_same_gaps(client_for, ict_manager, make_profile, security, cloud, rate):
    ann, ben = make_profile("ann@example.com"), make_profile("ben@example.com")
    rate(ann, security, own=4, manager=2)
    rate(ben, cloud, own=5, manager=1)
    Skill.objects.filter(pk=cloud.pk).update(active=False)  # retired skill: out of scope on every page

    response = client_for(ict_manager).get(reverse("skills:validation_queue"))

    shown = [(g.staff.pk, g.skill.pk, g.self_level, g.manager_level) for g in response.context["gaps"]]
    assert shown == [(ann.pk, security.pk, 4, 2)]
    assert [
        (g.staff_id, g.skill_id, g.self_level, g.manager_level) for g in selectors.rating_gaps()[1]
    ] == shown
