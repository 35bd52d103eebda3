"""core.policies: one rule asked as a question and as a check; the navigation's answers are computed once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.policies import UserAnswers, denied, rule, state_error


@rule
def can_open(user, box):
    if user != "owner":
        return denied("not yours")
    if box["locked"]:
        return state_error("box", "locked now", "locked")
    return None


def test_a_rule_answers_and_checks_the_same_way():
    assert can_open("owner", {"locked": False}) is True
    can_open.check("owner", {"locked": False})
    assert can_open("owner", {"locked": True}) is False
    with pytest.raises(ValidationError) as locked:
        can_open.check("owner", {"locked": True})
    assert locked.value.error_dict["box"][0].code == "locked"
    assert can_open("someone", {"locked": False}) is False
    with pytest.raises(PermissionDenied):
        can_open.check("someone", {"locked": False})


def test_user_answers_ask_each_rule_once_and_refuse_unknown_names():
    calls = []

    def can_see(user):
        calls.append(user)
        return True

    answers = UserAnswers("u", {"see": can_see})
    assert answers["see"] and answers["see"] and calls == ["u"]
    assert "see" in answers and "fly" not in answers
    with pytest.raises(KeyError):
        answers["fly"]
