"""Supply without double counting: a person's free hour goes to at most one skill."""

import pytest

from reports.supply_allocation import allocate


def test_two_people_with_overlapping_skills_cannot_cover_more_than_their_hours():
    # Aoki (10 free hours) can do security and UX; Baba (10 free hours) only UX. Demand: security 10, UX 15.
    # Counting each person in every skill they have says security 10/10 and UX 20/15 — no shortage anywhere. But
    # 20 hours cannot meet 25: Aoki's hours go to security (only she can do it), Baba's to UX, and UX is 5 short.
    result = allocate(
        free={"aoki": 10, "baba": 10},
        able={"aoki": {"security", "ux"}, "baba": {"ux"}},
        demand={"security": 10, "ux": 15},
    )
    assert result.supplied == {"security": pytest.approx(10), "ux": pytest.approx(10)}
    assert result.shortfall == {"security": pytest.approx(0), "ux": pytest.approx(5)}
    assert result.hours == {("aoki", "security"): pytest.approx(10), ("baba", "ux"): pytest.approx(10)}
    assert result.short_people("ux", hours_per_person=4) == 2
    assert result.short_people("security", hours_per_person=4) == 0


def test_spare_hours_are_left_when_demand_is_met():
    result = allocate(free={"aoki": 10, "baba": 10}, able={"aoki": {"ux"}, "baba": {"ux"}}, demand={"ux": 12})
    assert sum(result.spare.values()) == pytest.approx(8)
    assert result.shortfall == {"ux": pytest.approx(0)}


def test_nobody_able_means_the_whole_demand_is_short():
    result = allocate(free={"aoki": 10}, able={"aoki": {"ux"}}, demand={"cloud": 6})
    assert result.shortfall == {"cloud": 6} and result.spare == {"aoki": 10}
