"""The organisation hierarchy (bureau → department, municipality → section) and who sees which requests.

The rule (support.policies.organizations_seen): a requester sees the requests of their own organisation; one whose
account carries `sees_suborganizations` (a bureau's DX lead) also sees those of every organisation below it — never
a sibling's and never a parent's. Seeing is all it widens: acting stays with the filing organisation.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Organization, OrganizationKind
from accounts.selectors import descendant_ids
from accounts.services import organization_upsert
from support import policies, selectors, services
from support.filters import RequestFilter
from support.models import SupportRequest
from tests.conftest import Role


def _org(code, name, kind, parent=None):
    org, _ = organization_upsert(
        actor=None, code=code, defaults={"name": name, "kind": kind, "parent": parent}
    )
    return org


@pytest.fixture
def tree(db):
    fukushi = _org("B-FUKUSHI", "福祉局", OrganizationKind.BUREAU)
    hoken = _org("B-HOKEN", "保健医療局", OrganizationKind.BUREAU)
    return {
        "fukushi": fukushi,
        "kikaku": _org("D-FUKUSHI-KIKAKU", "福祉局 企画部", OrganizationKind.DEPARTMENT, fukushi),
        "seikatsu": _org("D-FUKUSHI-SEIKAT", "福祉局 生活福祉部", OrganizationKind.DEPARTMENT, fukushi),
        "hoken": hoken,
        "hoken_somu": _org("D-HOKEN-SOMU", "保健医療局 総務部", OrganizationKind.DEPARTMENT, hoken),
    }


@pytest.fixture
def filed(tree, make_user, submit):
    """One request filed by a requester of each organisation of the tree."""
    return {
        key: submit(user=make_user(f"filer-{key}@example.com", Role.REQUESTER, organization=org))
        for key, org in tree.items()
    }


@pytest.fixture
def users(tree, make_user):
    def requester(name, org, right):
        return make_user(
            f"{name}@example.com", Role.REQUESTER, organization=tree[org], sees_suborganizations=right
        )

    return {
        "fukushi_lead": requester("fukushi-lead", "fukushi", True),
        "fukushi_plain": requester("fukushi-plain", "fukushi", False),
        "kikaku_lead": requester("kikaku-lead", "kikaku", True),
        "hoken_lead": requester("hoken-lead", "hoken", True),
    }


#: who → the organisations whose requests they see
EXPECTED = {
    "fukushi_lead": {"fukushi", "kikaku", "seikatsu"},
    "fukushi_plain": {"fukushi"},
    "kikaku_lead": {"kikaku"},
    "hoken_lead": {"hoken", "hoken_somu"},
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_requester_sees_exactly_their_organisation_and_what_their_right_adds(who, users, filed):
    user = users[who]
    listed = set(selectors.request_list_for(user).values_list("pk", flat=True))
    assert listed == {filed[key].pk for key in EXPECTED[who]}
    # the yes/no rule is the same decision as the list's scope, request by request
    for request in SupportRequest.objects.all():
        assert policies.can_view_request(user, request) == (request.pk in listed)


def test_a_bureau_lead_opens_a_department_request_but_a_department_user_gets_not_found_for_the_bureau(
    client_for, users, filed
):
    lead, department = client_for(users["fukushi_lead"]), client_for(users["kikaku_lead"])
    assert lead.get(reverse("support:request_detail", args=[filed["kikaku"].reference])).status_code == 200
    denied = department.get(reverse("support:request_detail", args=[filed["fukushi"].reference]))
    assert denied.status_code == 404
    other = lead.get(reverse("support:request_detail", args=[filed["hoken_somu"].reference]))
    assert other.status_code == 404


def test_seeing_a_department_request_gives_no_right_to_act_on_it(users, filed):
    lead, request = users["fukushi_lead"], filed["kikaku"]
    assert policies.can_view_request(lead, request)
    assert not policies.can_edit(lead, request)
    assert not policies.can_withdraw(lead, request)
    assert not policies.can_comment(lead, request)
    with pytest.raises(PermissionDenied):
        services.request_withdraw(actor=lead, request=request, note="")
    request.refresh_from_db()
    assert request.status == "submitted"


def test_descendants_are_read_in_one_query_and_cached_for_the_request(
    users, filed, django_assert_num_queries
):
    lead = users["fukushi_lead"]
    with django_assert_num_queries(1):
        ids = descendant_ids(lead.organization_id)
    assert ids == {o.pk for o in Organization.objects.filter(code__startswith="D-FUKUSHI")} | {
        lead.organization_id
    }
    policies.can_view_request(lead, filed["kikaku"])
    with django_assert_num_queries(0):  # decided once per request, not once per row
        assert [policies.can_view_request(lead, r) for r in filed.values()].count(True) == 3


def test_manager_filter_includes_departments_unless_turned_off(ict_manager, filed):
    def listed(data):
        queryset = selectors.request_list_for(ict_manager, with_details=False)
        return set(RequestFilter(data, queryset=queryset).qs.values_list("pk", flat=True))

    bureau_and_departments = {filed[k].pk for k in ("fukushi", "kikaku", "seikatsu")}
    assert listed({"organization": "B-FUKUSHI"}) == bureau_and_departments
    assert listed({"organization": "B-FUKUSHI", "suborganizations": ["0", "1"]}) == bureau_and_departments
    assert listed({"organization": "B-FUKUSHI", "suborganizations": "0"}) == {filed["fukushi"].pk}
    assert listed({"organization": "D-FUKUSHI-KIKAKU"}) == {filed["kikaku"].pk}


def test_request_list_page_filter_rolls_up(client_for, ict_manager, filed):
    page = client_for(ict_manager).get(reverse("support:request_list"), {"organization": "B-FUKUSHI"})
    content = page.content.decode()
    assert filed["kikaku"].reference in content
    assert filed["hoken"].reference not in content


REQUESTS_OF = """
query ($organization: String!, $sub: Boolean) {
  supportRequests(organization: $organization, includeSubOrganizations: $sub, first: 20) {
    edges { node { reference } }
  }
}
"""


def test_the_api_list_rolls_departments_up_like_the_page_unless_turned_off(gql, ict_manager, filed):
    def listed(**variables):
        data = gql(ict_manager).execute(REQUESTS_OF, variables)["data"]["supportRequests"]
        return {edge["node"]["reference"] for edge in data["edges"]}

    bureau_and_departments = {filed[k].reference for k in ("fukushi", "kikaku", "seikatsu")}
    assert listed(organization="B-FUKUSHI") == bureau_and_departments
    assert listed(organization="B-FUKUSHI", sub=True) == bureau_and_departments
    assert listed(organization="B-FUKUSHI", sub=False) == {filed["fukushi"].reference}
    assert listed(organization="D-FUKUSHI-KIKAKU") == {filed["kikaku"].reference}


def test_a_bureau_requester_without_the_right_gets_no_department_rows_through_the_roll_up(gql, users, filed):
    data = gql(users["fukushi_plain"]).execute(REQUESTS_OF, {"organization": "B-FUKUSHI"})["data"]
    assert {e["node"]["reference"] for e in data["supportRequests"]["edges"]} == {filed["fukushi"].reference}


def test_hierarchy_kinds_are_validated(tree, ward):
    section = Organization(
        code="S-TEST", name="課", kind=OrganizationKind.MUNICIPAL_SECTION, parent=tree["fukushi"]
    )
    with pytest.raises(ValidationError) as refused:
        section.full_clean()
    assert refused.value.error_dict["parent"][0].code == "parent_kind"
    section.parent = ward
    section.full_clean()  # a municipality's section
    body = Organization(code="P-GOVTECH", name="GovTech東京", kind=OrganizationKind.POLICY_BODY)
    body.full_clean()  # a policy-linked body stands at the top
    orphan = Organization(code="S-ORPHAN", name="課", kind=OrganizationKind.MUNICIPAL_SECTION)
    with pytest.raises(ValidationError):
        orphan.full_clean()


ORGANIZATIONS = """
query ($parent: String) {
  organizations(parent: $parent, first: 20) {
    edges { node { code parent { code } children { code } } }
  }
}
"""


def test_graphql_lists_the_children_of_a_parent(gql, users, tree):
    result = gql(users["kikaku_lead"]).execute(ORGANIZATIONS, {"parent": "B-FUKUSHI"})
    nodes = [edge["node"] for edge in result["data"]["organizations"]["edges"]]
    assert {n["code"] for n in nodes} == {"D-FUKUSHI-KIKAKU", "D-FUKUSHI-SEIKAT"}
    assert {n["parent"]["code"] for n in nodes} == {"B-FUKUSHI"}
    everything = gql(users["kikaku_lead"]).execute(ORGANIZATIONS)
    fukushi = next(
        e["node"] for e in everything["data"]["organizations"]["edges"] if e["node"]["code"] == "B-FUKUSHI"
    )
    assert {c["code"] for c in fukushi["children"]} == {"D-FUKUSHI-KIKAKU", "D-FUKUSHI-SEIKAT"}
