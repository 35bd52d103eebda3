"""Demo data: deterministic (seeded) and realistic. Each app adds its step to DEMO_STEPS."""

import random

from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

# Dotted paths of functions `step(*, password, rng, scale=1) -> dict[str, int]`, run in order.
DEMO_STEPS = [
    "seeds.demo.accounts.create_demo_accounts",
    "seeds.demo.skills.create_talent_pool",
    "seeds.demo.support.create_support_requests",
    "seeds.demo.watchers.add_demo_watchers",
    "seeds.demo.staffing.assign_demo_staff",
    "seeds.demo.engagements.create_engagements",
    "seeds.demo.knowhow.publish_demo_cases",
]


def load_demo(*, password: str, seed: int = 2025, scale: float = 1.0) -> dict[str, int]:
    """Run every demo step in one transaction. The notifications its services send go nowhere (no mail, no inbox
    notice)."""
    from notifications.services import without_inbox

    rng = random.Random(seed)
    summary: dict[str, int] = {}
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        without_inbox(),
        transaction.atomic(),
    ):
        for dotted in DEMO_STEPS:
            step = import_string(dotted)
            kwargs = {"password": password, "rng": rng}
            if "scale" in step.__code__.co_varnames:
                kwargs["scale"] = scale
            summary.update(step(**kwargs))
    return summary
