import random

import pytest

from seeds.demo.accounts import create_demo_accounts
from seeds.demo.support import create_support_requests
from seeds.reference import load_reference
from support.models import RequestSequence, SatisfactionResponse, Status, SupportRequest


def run_steps():
    """The accounts step and this app's step (independent of the other apps' demo steps)."""
    rng = random.Random(2025)
    create_demo_accounts(password="demo-pass-2025", rng=rng)
    return create_support_requests(password="demo-pass-2025", rng=rng, scale=0.05)


@pytest.fixture
def demo(db):
    load_reference()
    run_steps()


def test_example_references_exist(demo):
    assert SupportRequest.objects.filter(reference__in=["DX-2025-0001", "DX-2026-0001"]).count() == 2


def test_sequence_continues_after_demo(demo):
    last = SupportRequest.objects.filter(fiscal_year=2025).count()
    assert RequestSequence.objects.get(fiscal_year=2025).last_number == last


def test_demo_requester_has_request_waiting_on_them(demo):
    assert SupportRequest.objects.filter(
        requester__email="requester@example.com", status=Status.WAITING_ON_REQUESTER
    ).exists()


def test_demo_has_satisfaction(demo):
    assert SatisfactionResponse.objects.exists()


def test_demo_is_idempotent(demo):
    count = SupportRequest.objects.count()
    run_steps()
    assert SupportRequest.objects.count() == count


# --- the demo follows the seeds' figures (seeds/demo/figures.py), checked on a full-scale run of this step ---------


@pytest.fixture(scope="module")
def full_scale(django_db_setup, django_db_blocker):
    """The support step at scale 1 (with the reference data and its category profiles), rolled back afterwards:
    one row per request (fiscal year, local month, pillar, category)."""
    from django.db import transaction

    from accounts.models import OrganizationKind
    from core.fiscal import local_date
    from seeds.demo import figures

    with django_db_blocker.unblock(), transaction.atomic():
        load_reference()
        rng = random.Random(2025)
        create_demo_accounts(password="demo-pass-2025", rng=rng)
        create_support_requests(password="demo-pass-2025", rng=rng, scale=1)
        municipal = set(OrganizationKind.municipal())
        rows = [
            (fy, local_date(at).month, figures.MUNICIPAL if kind in municipal else figures.BUREAU, code)
            for fy, at, kind, code in SupportRequest.objects.values_list(
                "fiscal_year", "submitted_at", "organization__kind", "category__code"
            )
        ]
        yield rows
        transaction.set_rollback(True)


def complete_years(rows):
    from core.fiscal import fiscal_year_of, today
    from seeds.demo.support import FIRST_FY

    return range(FIRST_FY, fiscal_year_of(today()))


def test_about_250_bureau_requests_a_year_and_about_40_in_january_to_march(full_scale):
    """「1月から3月までの3か月間で、各局から約40件」「4月からの合計で約250件」: January–March is the quiet quarter."""
    from seeds.demo.figures import BUREAU

    for fy in complete_years(full_scale):
        bureau = [month for year, month, pillar, _code in full_scale if year == fy and pillar == BUREAU]
        january_to_march = sum(month in (1, 2, 3) for month in bureau)
        assert 225 <= len(bureau) <= 275, (fy, len(bureau))
        assert 32 <= january_to_march <= 48, (fy, january_to_march)


def test_municipal_requests_are_the_smaller_second_pillar(full_scale):
    from seeds.demo.figures import BUREAU, MUNICIPAL

    for fy in complete_years(full_scale):
        pillars = [pillar for year, _month, pillar, _code in full_scale if year == fy]
        assert 0 < pillars.count(MUNICIPAL) < pillars.count(BUREAU) / 2


def test_the_bureaus_seasonal_mix_follows_the_progress_report(full_scale):
    """H1: COVID-19 response and user tests; Oct–Dec: systems, websites, next-year contracts; Jan–Mar: spec reviews
    and April start-ups."""
    from seeds.demo.figures import BUREAU, H1, H2, Q4, SEASON_OF_MONTH

    def share(season, *codes):
        seen = [
            code
            for _fy, month, pillar, code in full_scale
            if pillar == BUREAU and SEASON_OF_MONTH[month] == season
        ]
        return sum(code in codes for code in seen) / len(seen)

    assert share(Q4, "spec-review") > 3 * share(H1, "spec-review")
    assert share(H1, "user-testing") > 3 * share(Q4, "user-testing")
    assert share(H2, "business-system", "website", "procurement") > share(
        H1, "business-system", "website", "procurement"
    )
    assert share(Q4, "project-support") > share(H2, "project-support")


def test_required_skills_come_from_the_category_profile_or_its_history(full_scale):
    from support.models import RequestCategory, RequiredSkill
    from support.selectors import category_skill_suggestions

    allowed = {
        category.code: {s.skill.code for s in category_skill_suggestions(category)}
        for category in RequestCategory.objects.all()
    }
    required = set(RequiredSkill.objects.values_list("request__category__code", "skill__code"))
    assert required and all(skill in allowed[category] for category, skill in required)
    assert (
        "cloud-network",
        "OPS-TRAIN",
    ) not in required  # a government-cloud migration never asks for a trainer
    assert {("cloud-network", "PUB-GCLOUD"), ("website", "DES-A11Y"), ("user-testing", "DES-UX")} <= required


def test_demo_requests_have_service_level_due_dates(demo):
    from core.fiscal import today

    assert not SupportRequest.objects.filter(resolution_due__isnull=True).exists()
    # Some open request is overdue and some is not: the home page and the overdue filter have something to show.
    open_requests = SupportRequest.objects.open()
    assert open_requests.overdue(today()).exists()
    assert open_requests.exclude(pk__in=open_requests.overdue(today()).values("pk")).exists()
