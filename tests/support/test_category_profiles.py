"""Category skill profiles (支援区分ごとの標準スキル): seeded from the seeds' categories, maintained by administrators
(audited), suggested at triage and refined from the category's past requests that were resolved and rated well."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from seeds.reference_skills import load_skill_taxonomy
from seeds.reference_support import load_category_skill_profiles, load_request_categories
from skills.models import Skill
from support import selectors, services
from support.models import (
    CategorySkill,
    RequestCategory,
    RequiredSkill,
    SatisfactionResponse,
    Status,
    SupportRequest,
)


@pytest.fixture
def profiles(db):
    load_skill_taxonomy()
    load_request_categories()
    load_category_skill_profiles()


def codes_of(category_code: str) -> set[str]:
    return set(
        CategorySkill.objects.filter(category__code=category_code).values_list("skill__code", flat=True)
    )


def test_every_category_gets_a_profile_that_fits_its_work(profiles):
    assert not RequestCategory.objects.filter(skill_profile__isnull=True).exists()
    cloud = codes_of("cloud-network")
    assert {"INF-CLOUD", "PUB-GCLOUD"} <= cloud and "OPS-TRAIN" not in cloud  # never a training instructor
    assert {"PM-PROC", "ARC-ENT"} <= codes_of("spec-review")
    assert {"SW-WEB", "DES-A11Y", "DES-UX"} <= codes_of("website")
    assert "DES-UX" in codes_of("user-testing")
    assert {"SEC-RISK", "SEC-BCP"} <= codes_of("security-bcp")


def test_reloading_the_reference_data_keeps_an_administrators_edit(profiles, admin_user):
    website = RequestCategory.objects.get(code="website")
    line = CategorySkill.objects.get(category=website, skill__code="DES-UX")
    services.category_skill_remove(actor=admin_user, line=line)
    events = AuditEvent.objects.count()
    assert load_category_skill_profiles() == {"category skills created": 0}
    assert "DES-UX" not in codes_of("website") and AuditEvent.objects.count() == events


def test_only_an_administrator_changes_a_profile_and_the_change_is_audited(profiles, admin_user, ict_manager):
    from django.core.exceptions import PermissionDenied

    website, training = RequestCategory.objects.get(code="website"), Skill.objects.get(code="OPS-TRAIN")
    with pytest.raises(PermissionDenied):
        services.category_skill_set(actor=ict_manager, category=website, skill=training, min_level=2)
    assert "OPS-TRAIN" not in codes_of("website")
    services.category_skill_set(actor=admin_user, category=website, skill=training, min_level=2)
    assert "OPS-TRAIN" in codes_of("website")
    event = AuditEvent.objects.get(verb="category_skill.create", target_id=str(website.pk), actor=admin_user)
    assert event.data["skill"] == "OPS-TRAIN"


def test_an_administrator_edits_the_profile_inline_in_the_admin(profiles, admin_user, client_for):
    category = RequestCategory.objects.get(code="user-testing")
    lines = list(category.skill_profile.order_by("pk"))
    data = {
        "code": category.code,
        "name": category.name,
        "name_en": category.name_en,
        "order": category.order,
        "active": "on",
        "skill_profile-TOTAL_FORMS": str(len(lines) + 1),
        "skill_profile-INITIAL_FORMS": str(len(lines)),
    }
    for index, line in enumerate(lines):
        data |= {
            f"skill_profile-{index}-id": line.pk,
            f"skill_profile-{index}-category": category.pk,
            f"skill_profile-{index}-skill": line.skill_id,
            f"skill_profile-{index}-min_level": 4 if line.skill.code == "DES-UX" else line.min_level,
            f"skill_profile-{index}-weight": line.weight,
            f"skill_profile-{index}-mandatory": "on" if line.mandatory else "",
        }
    new = len(lines)
    data |= {
        f"skill_profile-{new}-category": category.pk,
        f"skill_profile-{new}-skill": Skill.objects.get(code="DES-A11Y").pk,
        f"skill_profile-{new}-min_level": 2,
        f"skill_profile-{new}-weight": 1,
    }
    url = reverse("admin:support_requestcategory_change", args=[category.pk])
    assert client_for(admin_user).post(url, data).status_code == 302
    assert CategorySkill.objects.get(category=category, skill__code="DES-UX").min_level == 4
    assert "DES-A11Y" in codes_of("user-testing")
    assert set(
        AuditEvent.objects.filter(
            target_id=str(category.pk), actor=admin_user, verb__startswith="category_skill"
        ).values_list("verb", "data__skill")
    ) == {("category_skill.update", "DES-UX"), ("category_skill.create", "DES-A11Y")}


@pytest.fixture
def past(profiles, requester, ward):
    """past(category_code, skill_codes, score=5, resolved=…) → a resolved request of the category, rated."""
    counter = iter(range(1, 1000))

    def make(category_code, skill_codes, score=5, resolved=None, status=Status.CLOSED):
        resolved = resolved or timezone.now() - dt.timedelta(days=30)
        request = SupportRequest.objects.create(
            reference=f"DX-2024-{next(counter):04d}",
            fiscal_year=2024,
            title="過去の依頼",
            description="d",
            organization=ward,
            requester=requester,
            category=RequestCategory.objects.get(code=category_code),
            phase="planning",
            status=status,
            submitted_at=resolved - dt.timedelta(days=20),
            resolved_at=resolved if status in (Status.RESOLVED, Status.CLOSED) else None,
        )
        for code in skill_codes:
            RequiredSkill.objects.create(
                request=request, skill=Skill.objects.get(code=code), min_level=3, weight=2
            )
        if score is not None:
            SatisfactionResponse.objects.create(request=request, score=score, respondent=requester)
        return request

    return make


def suggested(category_code, **kwargs) -> dict[str, str]:
    category = RequestCategory.objects.get(code=category_code)
    return {s.skill.code: s.source for s in selectors.category_skill_suggestions(category, **kwargs)}


def test_without_history_the_suggestions_are_the_profile(profiles):
    assert suggested("website") == dict.fromkeys(codes_of("website"), "profile")


def test_a_skill_often_needed_by_well_rated_past_requests_is_suggested_from_history(past):
    for index in range(10):  # PM-PROC on 3 of 10 (30 %), SEC-RISK on 2 of 10 (20 %)
        extra = ["PM-PROC"] if index < 3 else ["SEC-RISK"] if index < 5 else []
        past("website", ["SW-WEB", *extra])
    got = suggested("website")
    assert got["PM-PROC"] == "history" and "SEC-RISK" not in got
    assert got["SW-WEB"] == "profile"
    line = next(
        s
        for s in selectors.category_skill_suggestions(RequestCategory.objects.get(code="website"))
        if s.skill.code == "PM-PROC"
    )
    assert (line.min_level, line.weight, line.mandatory, line.share) == (3, 2, False, 0.3)


def test_poorly_rated_unrated_unresolved_and_later_requests_do_not_count(past):
    past("website", ["SW-WEB"])
    past("website", ["PM-PROC"], score=3)  # poorly rated
    past("website", ["PM-PROC"], score=None)  # never rated
    past("website", ["PM-PROC"], status=Status.IN_PROGRESS)  # not resolved
    past("website", ["SEC-RISK"], resolved=timezone.now() - dt.timedelta(days=2))
    assert "PM-PROC" not in suggested("website")
    assert "SEC-RISK" in suggested("website")
    assert "SEC-RISK" not in suggested("website", as_of=timezone.now() - dt.timedelta(days=10))


def test_suggestions_take_a_constant_number_of_queries(past, django_assert_max_num_queries):
    for _ in range(5):
        past("website", ["PM-PROC", "SEC-RISK", "DES-UX"])
    website, profile = RequestCategory.objects.get(code="website"), codes_of("website")
    with django_assert_max_num_queries(4):
        found = selectors.category_skill_suggestions(website)
    assert len(found) == len(profile) + 2


@pytest.fixture
def filed(profiles, requester):
    return services.request_submit(
        actor=requester,
        title="ガバメントクラウド移行",
        description="基幹システムのガバメントクラウド移行について",
        category=RequestCategory.objects.get(code="cloud-network"),
        phase="planning",
    )


def test_the_triage_page_prefills_the_suggestions_and_says_where_they_come_from(
    filed, past, ict_manager, client_for
):
    for _ in range(2):
        past("cloud-network", ["INF-CLOUD", "PUB-STD"])
    page = client_for(ict_manager).get(reverse("support:request_triage", args=[filed.reference]))
    html = page.content.decode()
    assert 'value="INF-CLOUD" selected' in html and 'value="PUB-GCLOUD" selected' in html
    assert 'value="PUB-STD" selected' in html  # from history
    assert 'value="OPS-TRAIN" selected' not in html
    assert html.count('data-source="profile"') == len(codes_of("cloud-network"))
    assert html.count('data-source="history"') == 1
    cleared = client_for(ict_manager).get(
        reverse("support:request_triage", args=[filed.reference]) + "?suggest=off"
    )
    assert 'data-source="' not in cleared.content.decode()
    assert 'value="INF-CLOUD" selected' not in cleared.content.decode()


def test_accepting_the_suggestions_saves_them_as_the_required_skills(filed, ict_manager, client_for):
    suggestions = selectors.category_skill_suggestions(filed.category)
    data = {
        "decision": "accept",
        "priority": "1",
        "estimated_hours": "",
        "skills-TOTAL_FORMS": str(len(suggestions)),
        "skills-INITIAL_FORMS": str(len(suggestions)),
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "20",
    }
    for index, s in enumerate(suggestions):
        data |= {
            f"skills-{index}-skill": s.skill.code,
            f"skills-{index}-min_level": s.min_level,
            f"skills-{index}-weight": s.weight,
            f"skills-{index}-mandatory": "on" if s.mandatory else "",
        }
    data["skills-0-skill"] = ""  # the manager cleared one row
    client_for(ict_manager).post(reverse("support:request_triage", args=[filed.reference]), data)
    filed.refresh_from_db()
    assert filed.status == Status.TRIAGED
    assert set(filed.required_skills.values_list("skill__code", flat=True)) == {
        s.skill.code for s in suggestions[1:]
    }


def test_graphql_gives_the_ict_side_the_profile_and_history(past, ict_staff, requester, gql):
    past("cloud-network", ["PUB-STD"])
    query = (
        'query { categorySkillProfile(category: "cloud-network") { category { code } '
        "skills { skill { code } minLevel mandatory source share } } }"
    )
    result = gql(ict_staff).execute(query)
    profile = result["data"]["categorySkillProfile"]
    assert profile["category"]["code"] == "cloud-network"
    sources = {row["skill"]["code"]: row["source"] for row in profile["skills"]}
    assert sources["INF-CLOUD"] == "PROFILE" and sources["PUB-STD"] == "HISTORY"
    assert gql(requester).execute(query)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    unknown = gql(ict_staff).execute('query { categorySkillProfile(category: "none") { skills { weight } } }')
    assert unknown["data"]["categorySkillProfile"] is None
