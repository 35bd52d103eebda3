"""The agreement of tests/test_policy_scope_agreement.py for the accounts that see their sub-organisations: in the
demo world, the demo requester of each organisation with departments or sections below it carries the right. For
each of them "the list reaches it" ⇔ "the policy says yes", and what they see is exactly their organisation and
those below it — some of it filed by a department or section, none by a sibling or a parent."""

from accounts.models import User
from accounts.selectors import descendant_ids
from support import policies, selectors
from support.models import SupportRequest


def test_overseeing_requesters_scope_agrees_with_the_policy(demo_users):
    leads = list(User.objects.filter(sees_suborganizations=True).select_related("organization"))
    assert leads
    requests = list(SupportRequest.objects.all())
    reached_below = False
    for lead in leads:
        seen = set(selectors.request_list_for(lead, with_details=False).values_list("pk", flat=True))
        below = descendant_ids(lead.organization_id)
        assert seen == {r.pk for r in requests if r.organization_id in below}
        assert all(policies.can_view_request(lead, r) == (r.pk in seen) for r in requests)
        reached_below |= any(r.organization_id != lead.organization_id for r in requests if r.pk in seen)
    assert reached_below, "no demo request of a department or section: the test would prove nothing"
