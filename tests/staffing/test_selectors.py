import datetime as dt

import pytest
from django.utils import translation

from staffing import selectors, services
from staffing.matching import load_ratio
from support import services as support_services
from support.models import Status


@pytest.fixture
def request_a(make_request):
    return make_request(required=[("security", 3, True), ("ux", 2, False)])


def _loaded(manager, request):
    return selectors.request_for_staffing(manager, request.reference)


def _names(rows):
    return [row.staff.user.email for row in rows]


def _pool(make_staff, n: int, start: int = 0):
    for i in range(start, start + n):
        make_staff(f"p{i}@example.com", levels={"security": 3 + i % 3, "ux": 1 + i % 4}, pending={"data": 2})


def test_candidates_rank_by_fit(ict_manager, make_staff, request_a):
    make_staff("weak@example.com", levels={"security": 3})
    make_staff("strong@example.com", levels={"security": 5, "ux": 3})
    rows = selectors.candidates_for(ict_manager, _loaded(ict_manager, request_a))
    assert _names(rows) == ["strong@example.com", "weak@example.com"]


def test_mandatory_skill_below_minimum_excludes(ict_manager, make_staff, request_a):
    make_staff("no-security@example.com", levels={"security": 2, "ux": 5})
    assert selectors.candidates_for(ict_manager, _loaded(ict_manager, request_a)) == []


def test_person_at_capacity_is_left_out(ict_manager, make_staff, make_request, request_a):
    full = make_staff("full@example.com", capacity=4, levels={"security": 4})
    services.assignment_create(actor=ict_manager, request=make_request(), staff=full, hours=4)
    assert selectors.candidates_for(ict_manager, _loaded(ict_manager, request_a)) == []


def test_include_full_shows_people_at_capacity(ict_manager, make_staff, make_request, request_a):
    full = make_staff("full@example.com", capacity=4, levels={"security": 4})
    services.assignment_create(actor=ict_manager, request=make_request(), staff=full, hours=4)
    rows = selectors.candidates_for(ict_manager, _loaded(ict_manager, request_a), include_full=True)
    assert [(r.staff.pk, r.has_room) for r in rows] == [(full.pk, False)]


def test_job_type_filter(ict_manager, make_staff, job_types, request_a):
    make_staff("sec@example.com", levels={"security": 3}, job_type=job_types["security"])
    make_staff("ux@example.com", levels={"security": 3}, job_type=job_types["designer"])
    rows = selectors.candidates_for(
        ict_manager, _loaded(ict_manager, request_a), job_type=job_types["designer"]
    )
    assert _names(rows) == ["ux@example.com"]


def test_limit_caps_the_list(ict_manager, make_staff, request_a):
    _pool(make_staff, 4)
    assert len(selectors.candidates_for(ict_manager, _loaded(ict_manager, request_a), limit=2)) == 2


def test_candidates_are_empty_for_a_non_manager(ict_manager, ict_staff, make_staff, request_a):
    make_staff("strong@example.com", levels={"security": 5})
    assert selectors.candidates_for(ict_staff, _loaded(ict_manager, request_a)) == []


def test_request_for_staffing_hides_requests_from_non_managers(ict_staff, request_a):
    assert selectors.request_for_staffing(ict_staff, request_a.reference) is None


def test_reasons_are_translated(ict_manager, make_staff, request_a):
    make_staff(
        "alice@example.com",
        levels={"security": 4, "ux": 1},
        pending={"ux": 3},
        certs={"security": "情報処理安全確保支援士"},
    )
    with translation.override("ja"):
        rows = selectors.candidates_for(ict_manager, _loaded(ict_manager, request_a))
    texts = [reason.text for reason in rows[0].reasons]
    assert texts == [
        "セキュリティ L4 ≥ 3 ✓",
        "資格: 情報処理安全確保支援士",
        "UXデザイン L1 < 2 ✗ （自己評価 L3・承認待ち）",
        "稼働率 0%（0/20 時間/週）",
    ]


def test_continuity_reason_counts_past_work_and_satisfaction(
    ict_manager, requester, make_staff, make_request, request_a
):
    alice = make_staff("alice@example.com", levels={"security": 4, "ux": 2})
    for score in (4, 5):
        past = make_request(status=Status.IN_PROGRESS)
        services.assignment_create(actor=ict_manager, request=past, staff=alice, hours=1)
        past = support_services.request_change_status(
            actor=ict_manager, request=past, to_status=Status.RESOLVED
        )
        support_services.satisfaction_submit(actor=requester, request=past, score=score)
    with translation.override("ja"):
        rows = selectors.candidates_for(ict_manager, _loaded(ict_manager, request_a))
    assert [r.text for r in rows[0].reasons if r.kind == "continuity"] == ["千代田区で過去2件・満足度4.5"]


def test_candidates_take_a_constant_number_of_queries(
    ict_manager, make_staff, request_a, django_assert_num_queries
):
    _pool(make_staff, 3)
    request = _loaded(ict_manager, request_a)
    with django_assert_num_queries(9):
        selectors.candidates_for(ict_manager, request, include_full=True)
    _pool(make_staff, 27, start=3)
    request = _loaded(ict_manager, request_a)
    with django_assert_num_queries(9):
        rows = selectors.candidates_for(ict_manager, request, include_full=True, limit=100)
    assert len(rows) == 30


def test_team_proposal_covers_every_skill(ict_manager, make_staff, request_a):
    make_staff("sec@example.com", levels={"security": 4})
    make_staff("ux@example.com", levels={"security": 3, "ux": 2})
    team = selectors.team_proposal_for(ict_manager, _loaded(ict_manager, request_a))
    assert (team.complete, [m.staff.user.email for m in team.members]) == (True, ["ux@example.com"])


def test_team_proposal_names_what_stays_uncovered(ict_manager, make_staff, make_request):
    request = make_request(required=[("security", 3, False), ("cloud", 4, False)])
    make_staff("sec@example.com", levels={"security": 4})
    team = selectors.team_proposal_for(ict_manager, _loaded(ict_manager, request))
    assert (team.complete, [s.code for s in team.uncovered]) == (False, ["cloud"])


def test_backlog_plan_places_unassigned_triaged_requests(ict_manager, make_staff, make_request):
    make_staff("sec@example.com", levels={"security": 4, "ux": 3})
    first = make_request(required=[("security", 3, True)])
    taken = make_request(required=[("security", 3, True)])
    other = make_staff("other@example.com", levels={"security": 3})
    services.assignment_create(actor=ict_manager, request=taken, staff=other, role="member", hours=2)
    plan = selectors.backlog_plan_for(ict_manager)
    assert [(row.request.reference, row.staff.user.email) for row in plan.planned] == [
        (first.reference, "sec@example.com")
    ]


def test_backlog_plan_lists_requests_nobody_can_take(ict_manager, make_staff, make_request):
    make_staff("sec@example.com", levels={"security": 2})
    request = make_request(required=[("security", 4, True)])
    plan = selectors.backlog_plan_for(ict_manager)
    assert [r.reference for r in plan.unassigned] == [request.reference]


def test_backlog_plan_is_empty_for_a_non_manager(ict_staff, make_staff, make_request):
    make_staff("sec@example.com", levels={"security": 4})
    make_request(required=[("security", 3, True)])
    assert selectors.backlog_plan_for(ict_staff).rows == []


def test_workload_reports_allocated_and_load(ict_manager, make_staff, make_request):
    alice = make_staff("alice@example.com", capacity=10, levels={"security": 4})
    services.assignment_create(actor=ict_manager, request=make_request(), staff=alice, hours=6)
    row = selectors.workload_for(ict_manager).get(pk=alice.pk)
    assert (row.allocated, row.assignment_count, round(row.load, 2)) == (6, 1, 0.6)


def test_workload_is_empty_for_ict_staff(ict_staff, make_staff):
    make_staff("alice@example.com")
    assert list(selectors.workload_for(ict_staff)) == []


def test_my_assignments_lists_only_my_active_assignments(
    ict_manager, ict_staff, own_staff, make_staff, make_request
):
    other = make_staff("other@example.com")
    mine = services.assignment_create(actor=ict_manager, request=make_request(), staff=own_staff, hours=2)
    released = services.assignment_create(actor=ict_manager, request=make_request(), staff=own_staff, hours=2)
    services.assignment_release(actor=ict_manager, assignment=released)
    services.assignment_create(actor=ict_manager, request=make_request(), staff=other, hours=2)
    assert list(selectors.my_assignments_for(ict_staff)) == [mine]


def test_my_load_is_figured_like_the_workload_board(ict_manager, ict_staff, own_staff, make_request):
    services.assignment_create(actor=ict_manager, request=make_request(), staff=own_staff, hours=5)
    services.assignment_create(actor=ict_manager, request=make_request(), staff=own_staff, hours=3)
    mine = selectors.my_load_for(ict_staff)
    board = selectors.workload_for(ict_manager).get(pk=own_staff.pk)
    assert (mine.allocated, mine.assignment_count, mine.load, mine.over_capacity) == (8, 2, 0.4, False)
    assert (board.allocated, board.assignment_count, board.load) == (8, 2, 0.4)


def test_load_is_full_without_capacity_in_sql_and_python(ict_manager, ict_staff, own_staff, make_staff):
    nobody = make_staff("no-capacity@example.com", capacity=0)
    own_staff.capacity_hours_per_week = 0
    own_staff.save(update_fields=["capacity_hours_per_week"])
    assert selectors.workload_for(ict_manager).get(pk=nobody.pk).load == 1.0
    assert selectors.my_load_for(ict_staff).load == 1.0 == load_ratio(0, 0)


def test_my_load_is_none_without_a_profile_or_outside_the_ict_side(ict_staff, requester):
    assert selectors.my_load_for(ict_staff) is None
    assert selectors.my_load_for(requester) is None


def test_pool_level_matrix_places_each_level_and_ignores_others():
    import numpy as np

    from staffing.pool import _level_matrix

    rows = [(3, 40, None, 0), (7, 40, None, 0), (9, 40, None, 0)]  # by staff pk, as read_pool reads them
    levels = {
        (7, 20): 4,
        (3, 10): 2,
        (9, 30): 5,
        (8, 10): 3,
        (3, 99): 1,
    }  # staff 8 and skill 99 are not asked
    columns = tuple(
        np.array(column, dtype=np.int64) for column in zip(*((*k, v) for k, v in levels.items()), strict=True)
    )
    matrix = _level_matrix(rows, [10, 20, 30], columns)
    assert matrix.tolist() == [[2, 0, 0], [0, 4, 0], [0, 0, 5]]
    empty = tuple(np.zeros(0, dtype=np.int64) for _ in range(3))
    assert _level_matrix(rows, [10], empty).tolist() == [[0], [0], [0]]


def test_current_level_columns_are_the_current_levels(ict_manager, make_staff, skills):
    from skills import selectors as skills_selectors
    from skills import services as skills_services

    alice = make_staff("alice@example.com", levels={"security": 2, "ux": 4}, pending={"cloud": 5})
    make_staff("bob@example.com", levels={"security": 5, "cloud": 1})
    # A later rating supersedes the earlier one; the pending self-assessment never counts.
    skills_services.assessment_record_manager(
        actor=None,
        staff=alice,
        skill=skills["security"],
        level=3,
        reason="再評価",
        assessed_on=dt.date(2025, 6, 1),
    )
    skill_ids = [skills["security"].pk, skills["cloud"].pk]
    staff, skill, level = skills_selectors.current_level_columns(skill_ids=skill_ids)
    columns = dict(zip(zip(staff.tolist(), skill.tolist(), strict=True), level.tolist(), strict=True))
    assert columns == skills_selectors.current_levels(skill_ids=skill_ids)
    assert columns[alice.pk, skills["security"].pk] == 3
    assert len(staff) == len(columns) == 3
    staff, skill, level = skills_selectors.current_level_columns(skill_ids=[])
    assert len(staff) == len(skill) == len(level) == 0


def test_pool_people_are_the_same_from_the_level_columns_or_the_level_dict(ict_manager, make_staff, skills):
    from staffing.pool import read_pool

    make_staff("alice@example.com", levels={"security": 2, "ux": 4}, pending={"cloud": 5})
    make_staff("bob@example.com", levels={"security": 5, "cloud": 1}, certs={"security": "支援士"})
    make_staff("carol@example.com")
    skill_ids = [skills["security"].pk, skills["cloud"].pk]
    few = read_pool(ict_manager, skill_ids=skill_ids)  # a few people shown: levels read from the columns
    every = read_pool(ict_manager, skill_ids=skill_ids)
    from skills import selectors as skills_selectors

    assert every.levels == skills_selectors.current_levels(skill_ids=skill_ids)  # only profiles have levels
    people = [few.person(row) for row in few.rows]
    assert "levels" not in few.__dict__
    assert people == [every.person(row) for row in every.rows]  # every.levels was built: the dict path
    assert {p.name: p.levels for p in people}["alice"] == {skills["security"].pk: 2}


def test_allocated_hours_of_the_pool_count_active_assignments_only(
    ict_manager, make_staff, make_request, request_a
):
    from staffing.pool import read_pool

    busy = make_staff("busy@example.com", capacity=40)
    services.assignment_create(actor=ict_manager, request=request_a, staff=busy, hours=6)
    services.assignment_create(actor=ict_manager, request=make_request(), staff=busy, hours=3)
    released = services.assignment_create(actor=ict_manager, request=make_request(), staff=busy, hours=10)
    services.assignment_release(actor=ict_manager, assignment=released)
    rows = {row[0]: row for row in read_pool(ict_manager, skill_ids=[]).rows}
    assert float(rows[busy.pk][3]) == 9  # 6 + 3; the released 10 h no longer count
