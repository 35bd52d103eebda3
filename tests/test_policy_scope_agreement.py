"""The permission check and the queryset scope are one rule: for every demo role and every object of the tiny demo
world, "the selector lets the user reach it" ⇔ "the policy says the user may". A selector that filters differently
from its policy (or a policy nobody's selector follows) fails here.

The demo world has no files, an inactive profile or a request of a second organisation with notes, so the test adds
those rows (inside its own savepoint).
"""

import pytest

from accounts.models import Organization
from skills import policies as skill_policies
from skills import selectors as skill_selectors
from skills.models import SkillAssessment, StaffProfile
from staffing import policies as staffing_policies
from staffing import selectors as staffing_selectors
from support import policies, selectors
from support.models import Attachment, Comment, SupportRequest
from tests.world import DEMO_EMAIL

ROLES = ("anonymous", *DEMO_EMAIL)


@pytest.fixture
def users(demo_users):
    from django.contrib.auth.models import AnonymousUser

    return {"anonymous": AnonymousUser(), **demo_users}


@pytest.fixture
def extra_rows(demo_users):
    """Files (public and internal) and notes on a request of the requester's organisation and on another one's, and
    one retired staff profile with a pending self-assessment."""
    requester = demo_users["requester"]
    own = SupportRequest.objects.filter(organization=requester.organization).order_by("pk").first()
    other = SupportRequest.objects.exclude(organization=requester.organization).order_by("pk").first()
    if other is None:
        other_org = Organization.objects.exclude(pk=requester.organization_id).order_by("pk").first()
        other = SupportRequest.objects.exclude(pk=own.pk).order_by("pk").first()
        SupportRequest.objects.filter(pk=other.pk).update(organization=other_org)
        other.refresh_from_db()
    author = demo_users["ict_manager"]
    for request in (own, other):
        for internal in (False, True):
            Comment.objects.create(request=request, author=author, body="agreement", internal=internal)
            Attachment.objects.create(
                request=request,
                file=f"attachments/agreement-{request.pk}-{internal}.pdf",
                original_name="a.pdf",
                content_type="application/pdf",
                size=1,
                internal=internal,
                uploaded_by=author,
            )
    retired = StaffProfile.objects.exclude(user=demo_users["ict_manager"]).order_by("pk").last()
    StaffProfile.objects.filter(pk=retired.pk).update(active=False)
    return {"own": own, "other": other}


def _disagreements(objects, in_scope, allowed) -> list:
    return [obj.pk for obj in objects if in_scope(obj) != allowed(obj)]


@pytest.mark.parametrize("role", ROLES)
def test_requests_comments_and_attachments(role, users, extra_rows):
    user = users[role]
    requests = list(SupportRequest.objects.all())
    seen = set(selectors.request_list_for(user, with_details=False).values_list("pk", flat=True))
    assert not _disagreements(requests, lambda r: r.pk in seen, lambda r: policies.can_view_request(user, r))

    comments = list(Comment.objects.select_related("request"))
    readable = set(selectors.comment_queryset_for(user).values_list("pk", flat=True))
    assert not _disagreements(
        comments, lambda c: c.pk in readable, lambda c: policies.can_view_entry(user, c)
    )
    # …and through the page's path (the request first, then its comments)
    for request in (extra_rows["own"], extra_rows["other"]):
        listed = set(selectors.comment_list_for(user, request).values_list("pk", flat=True))
        on_request = [c for c in comments if c.request_id == request.pk]
        assert not _disagreements(
            on_request, lambda c, s=listed: c.pk in s, lambda c: policies.can_view_entry(user, c)
        )

    attachments = list(Attachment.objects.select_related("request"))
    assert len({(a.request_id, a.internal) for a in attachments}) >= 4
    assert not _disagreements(
        attachments,
        lambda a: selectors.attachment_get_for(user, a.request, a.pk) is not None,
        lambda a: policies.can_view_entry(user, a),
    )


@pytest.mark.parametrize("role", ROLES)
def test_staffing_sees_requests_through_the_same_rule(role, users, extra_rows):
    user = users[role]
    requests = list(SupportRequest.objects.all())
    assert not _disagreements(
        requests,
        lambda r: (
            staffing_selectors.request_for_staffing(user, r.reference, with_assignments=False) is not None
        ),
        lambda r: staffing_policies.can_staff(user) and policies.can_view_request(user, r),
    )


@pytest.mark.parametrize("role", ROLES)
def test_staff_profiles_and_assessments(role, users, extra_rows):
    user = users[role]
    profiles = list(StaffProfile.objects.all())
    assert any(not p.active for p in profiles)
    assert not _disagreements(
        profiles,
        lambda p: skill_selectors.staff_profile_get_for(user, p.pk) is not None,
        lambda p: skill_policies.can_view_profile(user, p),
    )
    assert not _disagreements(
        profiles,
        lambda p: skill_selectors.staff_profile_by_email_for(user, p.user.email) is not None,
        lambda p: skill_policies.can_view_profile(user, p),
    )

    assessments = list(SkillAssessment.objects.select_related("staff"))
    listed = {
        pk
        for staff in profiles
        for pk in skill_selectors.assessment_list_for(user, staff).values_list("pk", flat=True)
    }
    assert not _disagreements(
        assessments, lambda a: a.pk in listed, lambda a: skill_policies.can_view_profile(user, a.staff)
    )
    queue = set(skill_selectors.validation_queue_for(user).values_list("pk", flat=True))
    assert not _disagreements(
        assessments, lambda a: a.pk in queue, lambda a: skill_policies.can_validate_assessment(user, a)
    )


def test_the_world_has_something_on_each_side_of_every_rule(users, extra_rows):
    """The agreement above is not vacuous: each rule says yes to some objects and no to others for some role."""
    requester, staff, manager = users["requester"], users["ict_staff"], users["ict_manager"]
    requests = list(SupportRequest.objects.all())
    assert {policies.can_view_request(requester, r) for r in requests} == {True, False}
    attachments = list(Attachment.objects.select_related("request"))
    assert {policies.can_view_entry(requester, a) for a in attachments} == {True, False}
    profiles = list(StaffProfile.objects.all())
    assert {skill_policies.can_view_profile(staff, p) for p in profiles} == {True, False}
    assessments = list(SkillAssessment.objects.select_related("staff"))
    assert {skill_policies.can_validate_assessment(manager, a) for a in assessments} == {True, False}
