"""The request page shows a button exactly when the policy the service enforces says yes — for every demo role and
each demo request of the requester's organisation (waiting, resolved, submitted)."""

import pytest
from django.test import Client
from django.urls import reverse

from support import policies, selectors
from tests.support.access_matrix_rows import RESOLVED, SUBMITTED, WAITING
from tests.world import DEMO_EMAIL

BUTTONS = {
    "support:request_edit": policies.can_edit,
    "support:request_triage": policies.can_triage_request,
    "support:request_withdraw": policies.can_withdraw,
    "support:satisfaction_create": policies.can_rate,
    "support:comment_create": policies.can_comment,
    "support:attachment_upload": policies.can_attach,
    "support:effort_create": policies.can_log_effort,
}


@pytest.mark.parametrize("role", sorted(set(DEMO_EMAIL) - {"hr"}))
@pytest.mark.parametrize("reference", [WAITING, RESOLVED, SUBMITTED])
def test_each_button_shows_exactly_when_its_policy_allows(role, reference, demo_users):
    user = demo_users[role]
    client = Client()
    client.force_login(user)
    html = client.get(reverse("support:request_detail", args=[reference])).content.decode()
    support_request = selectors.request_get_for(user, reference=reference)
    wrong = {
        name: rule(user, support_request)
        for name, rule in BUTTONS.items()
        if (f'"{reverse(name, args=[reference])}"' in html) != rule(user, support_request)
    }
    assert not wrong, f"{role} on {reference}: buttons disagree with the policies (policy says {wrong})"


def test_the_rules_say_yes_and_no_somewhere(demo_users):
    """Not vacuous: each button's rule allows someone on some demo request and refuses someone else."""
    answers = {name: set() for name in BUTTONS}
    for user in demo_users.values():
        for reference in (WAITING, RESOLVED, SUBMITTED):
            support_request = selectors.request_get_for(user, reference=reference)
            if support_request is not None:
                for name, rule in BUTTONS.items():
                    answers[name].add(rule(user, support_request))
    assert all(seen == {True, False} for seen in answers.values()), answers
