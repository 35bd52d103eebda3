import random

import pytest

from seeds.demo.accounts import create_demo_accounts
from seeds.demo.support import create_support_requests
from seeds.reference import load_reference
from support.models import RequestSequence, SatisfactionResponse, Status, SupportRequest


def run_steps():
    """The accounts step and this app's step (independent of the other apps' demo steps)."""
    rng = random.Random(2025)
    create_demo_accounts(password="demo-pass-2025", rng=rng)
    return create_support_requests(password="demo-pass-2025", rng=rng, scale=0.05)


@pytest.fixture
def demo(db):
    load_reference()
    run_steps()


def test_example_references_exist(demo):
    assert SupportRequest.objects.filter(reference__in=["DX-2025-0001", "DX-2026-0001"]).count() == 2


def test_sequence_continues_after_demo(demo):
    last = SupportRequest.objects.filter(fiscal_year=2025).count()
    assert RequestSequence.objects.get(fiscal_year=2025).last_number == last


def test_demo_requester_has_request_waiting_on_them(demo):
    assert SupportRequest.objects.filter(
        requester__email="requester@example.com", status=Status.WAITING_ON_REQUESTER
    ).exists()


def test_demo_has_satisfaction(demo):
    assert SatisfactionResponse.objects.exists()


def test_demo_is_idempotent(demo):
    count = SupportRequest.objects.count()
    run_steps()
    assert SupportRequest.objects.count() == count
