"""The support fixtures (requests in each state), shared with the notification tests."""

from tests.support.conftest import (  # noqa: F401 — fixtures
    assigned,
    categories,
    category,
    in_progress,
    resolved,
    staff_profile,
    submit,
    submitted,
    triaged,
)
