"""The Django admin is read-mostly: history cannot be added, changed or deleted there, and every write it still
offers goes through a service and leaves an audit event."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from support.models import (
    Assignment,
    Attachment,
    Comment,
    EffortLog,
    RequestCategory,
    SatisfactionResponse,
    StatusChange,
    SupportRequest,
)

READ_ONLY = (SupportRequest, Assignment, Attachment, Comment, EffortLog, SatisfactionResponse, StatusChange)


@pytest.fixture
def admin_client(demo_users, client_for):
    return client_for(demo_users["admin"])


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_support_history_is_read_only_in_the_admin(model, admin_client):
    obj = model.objects.order_by("pk").first()
    before = model.objects.count()
    assert admin_client.get(_url(model, "changelist")).status_code == 200
    assert admin_client.post(_url(model, "add"), {}).status_code == 403
    if obj is not None:
        page = admin_client.get(_url(model, "change", obj.pk)).content.decode()
        assert 'name="_save"' not in page
        assert admin_client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.count() == before


def test_releasing_an_assignment_in_the_admin_goes_through_the_service(admin_client, demo_users):
    assignment = Assignment.objects.active().order_by("pk").first()
    response = admin_client.post(
        _url(Assignment, "changelist"), {"action": "release", "_selected_action": [assignment.pk]}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.released_at is not None and assignment.released_by == demo_users["admin"]
    assert AuditEvent.objects.filter(verb="assignment.release", target_id=str(assignment.pk)).exists()


def test_a_category_saved_in_the_admin_is_audited(admin_client):
    category = RequestCategory.objects.get(code="website")
    data = {
        "code": category.code,
        "name": "ウェブサイト",
        "name_en": category.name_en,
        "order": 3,
        "active": "on",
        "skill_profile-TOTAL_FORMS": "0",  # the skill profile inline, left as it is
        "skill_profile-INITIAL_FORMS": "0",
    }
    assert admin_client.post(_url(RequestCategory, "change", category.pk), data).status_code == 302
    category.refresh_from_db()
    assert category.name == "ウェブサイト"
    event = AuditEvent.objects.get(verb="request_category.update", target_id=str(category.pk))
    assert "name" in event.data["fields"]


def test_a_role_change_in_the_admin_is_audited_and_users_are_never_deleted(admin_client, demo_users):
    from django.contrib.auth.models import Group

    user = demo_users["ict_staff"]
    manager_group = Group.objects.get(name="ict_manager")
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "organization": user.organization_id,
        "preferred_language": user.preferred_language,
        "is_active": "on",
        "groups": [*user.groups.values_list("pk", flat=True), manager_group.pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(verb="user.admin_change", target_id=str(user.pk))
    assert "ict_manager" in event.data["roles"] and "groups" in event.data["fields"]
    assert (
        admin_client.post(reverse("admin:accounts_user_delete", args=[user.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert type(user).objects.filter(pk=user.pk).exists()


def test_a_manager_without_the_admin_role_cannot_enter_the_admin(demo_users, client_for):
    response = client_for(demo_users["ict_manager"]).get(_url(Assignment, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_organisation_saved_in_the_admin_goes_through_the_service(admin_client):
    from accounts.models import Organization

    ward = Organization.objects.get(code="131016")
    data = {
        "code": ward.code,
        "name": ward.name,
        "name_en": "Chiyoda City",
        "kind": ward.kind,
        "active": "on",
    }
    assert (
        admin_client.post(reverse("admin:accounts_organization_change", args=[ward.pk]), data).status_code
        == 302
    )
    ward.refresh_from_db()
    assert ward.name_en == "Chiyoda City"
    assert AuditEvent.objects.filter(verb="organization.update", target_id=str(ward.pk)).exists()
    delete = reverse("admin:accounts_organization_delete", args=[ward.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def test_a_token_is_revoked_in_the_admin_through_the_service(admin_client, demo_users):
    from accounts.models import ApiToken
    from accounts.tokens import api_token_create

    token, _raw = api_token_create(actor=demo_users["hr"], user=demo_users["hr"], name="bi")
    changelist = reverse("admin:accounts_apitoken_changelist")
    response = admin_client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(verb="api_token.revoke", target_id=str(token.pk)).exists()
    assert admin_client.post(reverse("admin:accounts_apitoken_add"), {}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()
