import pytest
from django.test import Client

from accounts.tokens import api_token_create, api_token_revoke
from tests.conftest import codes

pytestmark = pytest.mark.django_db

ME = "query { me { email displayName roles organization { code name } } }"


def test_me_for_a_signed_in_user(gql, ict_manager):
    result = gql(ict_manager).execute(ME)
    assert "errors" not in result
    assert result["data"]["me"]["email"] == "manager@example.com"
    assert result["data"]["me"]["roles"] == ["ict_manager", "ict_staff"]
    assert result["data"]["me"]["organization"]["code"] == "B-DIGITAL"


def test_me_is_refused_for_anonymous(gql, db):
    result = gql(None).execute(ME)
    assert codes(result) == ["UNAUTHENTICATED"]
    assert result["data"] == {"me": None}


def test_organizations_connection_with_total_count_and_filter(gql, requester, other_ward, bureau):
    result = gql(requester).execute(
        "query { organizations(kind: WARD, first: 1) { totalCount edges { node { code } } } }"
    )
    assert result["data"]["organizations"]["totalCount"] == 2
    assert len(result["data"]["organizations"]["edges"]) == 1


def test_page_size_is_capped_with_a_clear_code(gql, requester):
    result = gql(requester).execute("query { organizations(first: 500) { totalCount } }")
    assert codes(result) == ["PAGE_SIZE_TOO_LARGE"]


def test_unknown_field_is_a_validation_error_not_a_silent_success(gql, requester):
    gql_client = gql(requester)
    result = gql_client.execute("query { me { email nonsense } }")
    assert gql_client.last_status == 400
    assert "nonsense" in result["errors"][0]["message"]
    assert "Did you mean" not in result["errors"][0]["message"]


def test_depth_limit(gql, requester, settings):
    deep = "query { organizations { edges { node " + "{ parent " * 12 + "{ code }" + " }" * 12 + " } } }"
    result = gql(requester).execute(deep)
    assert result["errors"] and "depth" in result["errors"][0]["message"]


def test_alias_limit(gql, requester):
    query = "query { " + " ".join(f"a{i}: me {{ email }}" for i in range(40)) + " }"
    assert "TOO_MANY_ALIASES" in codes(gql(requester).execute(query))


def test_introspection_is_off_but_typename_works(gql, requester):
    result = gql(requester).execute("query { __schema { types { name } } }")
    assert result["errors"] and "introspection" in result["errors"][0]["message"].lower()
    ok = gql(requester).execute("query { me { __typename } }")
    assert ok["data"]["me"]["__typename"] == "Me"


def test_session_post_without_csrf_token_is_refused(requester):
    client = Client(enforce_csrf_checks=True)
    client.force_login(requester)
    response = client.post("/graphql/", {"query": ME}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_FAILED"


def test_api_token_acts_as_its_owner_and_stops_when_revoked(hr_user):
    token, raw = api_token_create(actor=hr_user, user=hr_user, name="BI")
    client = Client(enforce_csrf_checks=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.post("/graphql/", {"query": ME}, content_type="application/json", **headers)
    assert response.json()["data"]["me"]["email"] == "hr@example.com"
    assert token.key_hash != raw and raw not in token.key_hash
    api_token_revoke(actor=hr_user, token=token)
    response = client.post("/graphql/", {"query": ME}, content_type="application/json", **headers)
    assert response.status_code == 401


def test_unexpected_exceptions_are_masked(gql, requester, monkeypatch):
    import accounts.schema

    def boom(root, info):
        raise RuntimeError("secret database detail")

    monkeypatch.setattr(accounts.schema.Query, "resolve_me", staticmethod(boom))
    from config.schema import schema

    monkeypatch.setattr(schema.graphql_schema.query_type.fields["me"], "resolve", boom)
    result = gql(requester).execute(ME)
    assert "secret" not in str(result)
    assert codes(result) == ["INTERNAL"]
