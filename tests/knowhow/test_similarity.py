"""Similar past requests: the index follows resolution, Japanese normalisation, and scoping by role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from knowhow import selectors, services
from knowhow.models import Posting
from knowhow.text import normalise, terms
from support import services as support_services

pytestmark = pytest.mark.django_db

SPEC = "システム更改の調達仕様書を確認してほしい"


def refs(items):
    return {item.request.reference for item in items}


def publish(actor, request, **extra):
    fields = {
        "title": request.title,
        "problem": "仕様書の不安",
        "actions": "レビューした",
        "lessons": "早めに",
    }
    return services.case_publish(actor=actor, request=request, **(fields | extra))


def test_normalisation_folds_widths_katakana_variants_and_abbreviations():
    assert normalise("ＤＸ　ｷﾝﾄｰﾝ") == normalise("dx キントン")
    assert normalise("ヴァイオリン") == normalise("バイオリン")
    assert "k:ガバメントクラウド" in terms("ガバクラ移行")
    assert "k:ガバメントクラウド" in terms("ガバメントクラウドへの移行")
    assert "k:kintone" in terms("ｷﾝﾄｰﾝ") and "k:kintone" in terms("kintone")
    assert "k:bcp" in terms("業務継続計画") and "k:bcp" in terms("BCP")
    assert "w:hp" not in terms("php")  # a Latin abbreviation is a whole word only


def test_only_past_requests_are_indexed(resolve, requester, categories, commit_hooks):
    with commit_hooks():
        done = resolve(requester, "仕様書の確認", "調達仕様書を見てほしい。")
        open_request = support_services.request_submit(
            actor=requester,
            title="仕様書の確認",
            description="同じ内容",
            category=categories["spec-review"],
            phase="procurement",
        )
    assert Posting.objects.filter(request=done).exists()
    assert not Posting.objects.filter(request=open_request).exists()


def test_the_ict_side_sees_every_organisations_past_requests_with_who_worked_on_them(past, ict_staff):
    items = selectors.similar_requests_for(ict_staff, SPEC)
    assert {past["own"].reference, past["other"].reference} <= refs(items)
    assert refs(items[:2]) == {past["own"].reference, past["other"].reference}
    assert all(item.details for item in items)


def test_a_requester_never_sees_another_organisations_unpublished_request(
    past, requester, other_requester, hr_user
):
    seen = refs(selectors.similar_requests_for(requester, SPEC))
    assert past["own"].reference in seen and seen <= {past["own"].reference, past["own_bcp"].reference}
    assert past["other"].reference not in refs(selectors.similar_requests_for(requester, SPEC))
    assert past["own"].reference not in refs(selectors.similar_requests_for(other_requester, SPEC))
    assert selectors.similar_requests_for(hr_user, SPEC) == []  # no role on requests, no case published yet


def test_a_published_case_is_shown_to_everyone_and_withdrawing_hides_it(
    past, requester, hr_user, ict_manager
):
    case = publish(ict_manager, past["other"])
    for user in (requester, hr_user):
        items = selectors.similar_requests_for(user, SPEC)
        shown = [item for item in items if item.request.pk == past["other"].pk]
        assert shown and shown[0].case == case and not shown[0].show_request and not shown[0].details
    services.case_withdraw(actor=ict_manager, case=case)
    assert past["other"].reference not in refs(selectors.similar_requests_for(requester, SPEC))
    assert selectors.similar_requests_for(hr_user, SPEC) == []


def test_abbreviations_and_widths_find_the_same_request(past, ict_staff):
    assert (
        past["other_kintone"].reference
        == selectors.similar_requests_for(ict_staff, "ｷﾝﾄｰﾝ導入")[0].request.reference
    )
    assert (
        past["own_bcp"].reference
        == selectors.similar_requests_for(ict_staff, "業務継続計画の改訂")[0].request.reference
    )


def test_publishing_is_for_the_ict_side_and_only_once_resolved(
    past, requester, ict_staff, ict_manager, categories
):
    with pytest.raises(PermissionDenied):
        publish(requester, past["own"])
    with pytest.raises(PermissionDenied):
        publish(ict_staff, past["own"])  # not assigned to it, not a manager
    fresh = support_services.request_submit(
        actor=requester,
        title="新規",
        description="まだ",
        category=categories["spec-review"],
        phase="procurement",
    )
    with pytest.raises(ValidationError) as refused:
        publish(ict_manager, fresh)
    assert refused.value.error_dict["request"][0].code == "not_resolved"
    assert not hasattr(fresh, "case") or fresh.case is None


def test_editing_a_published_case_updates_the_index(past, requester, ict_manager):
    case = publish(ict_manager, past["other"])
    assert past["other"].reference not in refs(selectors.similar_requests_for(requester, "アクセシビリティ"))
    publish(ict_manager, past["other"], lessons="アクセシビリティ試験も発注仕様に入れる")
    case.refresh_from_db()
    assert "アクセシビリティ" in case.lessons
    found = selectors.similar_requests_for(requester, "アクセシビリティ")
    assert [item.case for item in found] == [case]


def test_links_are_seen_from_both_sides_within_scope(past, ict_staff, requester, other_requester):
    services.link_add(actor=ict_staff, request=past["own"], other=past["other"])
    services.link_add(actor=ict_staff, request=past["other"], other=past["own"])  # idempotent
    assert list(selectors.related_requests_for(ict_staff, past["own"])) == [past["other"]]
    assert list(selectors.related_requests_for(ict_staff, past["other"])) == [past["own"]]
    assert list(selectors.related_requests_for(requester, past["own"])) == []  # the other ward's request
    with pytest.raises(PermissionDenied):
        services.link_add(actor=requester, request=past["own"], other=past["own_bcp"])
    services.link_remove(actor=ict_staff, request=past["other"], other=past["own"])
    assert list(selectors.related_requests_for(ict_staff, past["own"])) == []


def test_the_case_library_filters(past, ict_manager, requester):
    spec = publish(ict_manager, past["other"], show_organization=False)
    bcp = publish(ict_manager, past["own_bcp"], show_organization=True)
    assert list(selectors.case_list_for(requester, category="security-bcp")) == [bcp]
    assert list(selectors.case_list_for(requester, organization_kind="municipality_ward").order_by("pk")) == [
        spec,
        bcp,
    ]
    assert list(selectors.case_list_for(requester, search="調達仕様のレビュー"))[0] == spec  # ranked first
    assert list(selectors.case_list_for(requester, fiscal_year=1999)) == []
    services.case_withdraw(actor=ict_manager, case=spec)
    assert list(selectors.case_list_for(requester)) == [bcp]


def test_the_reindex_command_rebuilds_the_index(past, ict_staff):
    from io import StringIO

    from django.core.management import call_command

    Posting.objects.all().delete()
    assert selectors.similar_requests_for(ict_staff, SPEC) == []
    out = StringIO()
    call_command("knowhow_reindex", stdout=out)
    assert "Indexed 4" in out.getvalue()
    assert past["own"].reference in refs(selectors.similar_requests_for(ict_staff, SPEC))


def test_suggestions_take_a_constant_number_of_queries(past, ict_staff, requester, django_assert_num_queries):
    for user in (ict_staff, requester):  # roles are read once per user and kept
        selectors.similar_requests_for(user, "仕様書")
    # terms, postings, the requests (with satisfaction and case), their skills, their people
    with django_assert_num_queries(5):
        assert len(selectors.similar_requests_for(ict_staff, SPEC, limit=5)) == 3
    with django_assert_num_queries(5):
        assert len(selectors.similar_requests_for(ict_staff, SPEC, limit=1)) == 1
    with django_assert_num_queries(4):  # no people or skills for a requester, but which requests they may see
        selectors.similar_requests_for(requester, SPEC)
