"""Saved views (保存したビュー) of the request lists: save the current filters under a name, find them on the page,
open them, delete them — through the page and through GraphQL; each user's own."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from graphql_relay import to_global_id

from core.models import AuditEvent
from support import selectors, services
from support.models import SavedView
from support.services.saved_views import MAX_VIEWS_PER_USER, clean_query_string


def test_round_trip_through_the_page(client_for, ict_manager, submitted):
    client = client_for(ict_manager)
    response = client.post(
        reverse("support:saved_view_save"),
        {"name": "未割当", "list_name": "requests", "query_string": "unassigned=on&status=submitted&page=3"},
    )
    view = SavedView.objects.get(user=ict_manager, name="未割当")
    assert view.query_string == "status=submitted&unassigned=on"  # the page number is not a filter
    assert response["Location"] == reverse("support:request_list") + "?status=submitted&unassigned=on"
    page = client.get(response["Location"]).content.decode()
    assert "未割当" in page and f'href="?{view.query_string.replace("&", "&amp;")}"' in page
    assert 'aria-current="true"' in page  # the view in use is marked
    response = client.post(reverse("support:saved_view_delete", args=[view.pk]))
    assert response.status_code == 302 and not SavedView.objects.filter(pk=view.pk).exists()
    assert AuditEvent.objects.filter(verb__in=["saved_view.save", "saved_view.delete"]).count() == 2


def test_saving_under_the_same_name_replaces_the_view(ict_manager, db):
    first = services.saved_view_save(
        actor=ict_manager, name="至急", list_name="requests", query_string="priority=3"
    )
    again = services.saved_view_save(
        actor=ict_manager, name="至急", list_name="triage", query_string="priority=2"
    )
    assert (again.pk, again.list_name, again.query_string) == (first.pk, "triage", "priority=2")
    assert SavedView.objects.filter(user=ict_manager).count() == 1


def test_unknown_keys_are_dropped():
    assert clean_query_string("?q=%E4%BB%95&evil=1&page=2&status=a&status=b&per_page=50") == (
        "per_page=50&q=%E4%BB%95&status=a&status=b"
    )


def test_refusals(requester, ict_staff, ict_manager, db):
    with pytest.raises(ValidationError) as empty:
        services.saved_view_save(actor=requester, name="  ", list_name="requests", query_string="")
    assert empty.value.error_dict["name"][0].code == "required"
    with pytest.raises(ValidationError) as unknown:
        services.saved_view_save(actor=requester, name="x", list_name="reports", query_string="")
    assert unknown.value.error_dict["list_name"][0].code == "unknown_list"
    with pytest.raises(PermissionDenied):  # the triage queue is the managers'
        services.saved_view_save(actor=ict_staff, name="x", list_name="triage", query_string="")
    for i in range(MAX_VIEWS_PER_USER):
        services.saved_view_save(actor=ict_manager, name=f"v{i}", list_name="requests", query_string="")
    with pytest.raises(ValidationError) as many:
        services.saved_view_save(actor=ict_manager, name="one more", list_name="requests", query_string="")
    assert many.value.error_list[0].code == "too_many_views"
    assert not SavedView.objects.filter(user__in=[requester, ict_staff]).exists()


def test_views_are_each_users_own(client_for, requester, other_requester, submitted):
    view = services.saved_view_save(
        actor=requester, name="千代田の一覧", list_name="requests", query_string="mine=filed"
    )
    assert list(selectors.saved_views_for(other_requester)) == []
    page = client_for(other_requester).get(reverse("support:request_list")).content.decode()
    assert "千代田の一覧" not in page
    response = client_for(other_requester).post(reverse("support:saved_view_delete", args=[view.pk]))
    assert response.status_code == 404 and SavedView.objects.filter(pk=view.pk).exists()


def test_triage_queue_offers_its_own_views(client_for, ict_manager, submitted):
    services.saved_view_save(actor=ict_manager, name="全件", list_name="triage", query_string="_all=1")
    services.saved_view_save(actor=ict_manager, name="一覧用", list_name="requests", query_string="")
    page = client_for(ict_manager).get(reverse("support:triage")).content.decode()
    assert "全件" in page and "一覧用" not in page


def test_round_trip_through_graphql(gql, ict_manager, other_requester, db):
    client = gql(ict_manager)
    saved = client.execute(
        'mutation { saveView(name: "至急", list: TRIAGE, query: "priority=3&bogus=1") '
        "{ savedView { id name list query url } errors { code } } }"
    )["data"]["saveView"]
    assert saved["errors"] == []
    assert saved["savedView"]["query"] == "priority=3" and saved["savedView"]["url"].endswith(
        "/triage/?priority=3"
    )
    listed = client.execute("query { savedViews(list: TRIAGE) { id name } }")["data"]["savedViews"]
    assert [v["name"] for v in listed] == ["至急"]
    stranger = gql(other_requester).execute(
        "mutation ($id: ID!) { deleteSavedView(id: $id) { deletedId } }", {"id": listed[0]["id"]}
    )
    assert stranger["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    deleted = client.execute(
        "mutation ($id: ID!) { deleteSavedView(id: $id) { deletedId errors { code } } }",
        {"id": listed[0]["id"]},
    )["data"]["deleteSavedView"]
    assert deleted == {"deletedId": listed[0]["id"], "errors": []}
    assert client.execute("query { savedViews { id } }")["data"]["savedViews"] == []


def test_graphql_save_errors(gql, requester, db):
    result = gql(requester).execute(
        'mutation { saveView(name: "", list: REQUESTS, query: "") { errors { field code } } }'
    )
    assert result["data"]["saveView"]["errors"] == [{"field": "name", "code": "required"}]
    unknown_id = to_global_id("SavedView", 999999)
    result = gql(requester).execute(
        "mutation ($id: ID!) { deleteSavedView(id: $id) { deletedId } }", {"id": unknown_id}
    )
    assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND"
