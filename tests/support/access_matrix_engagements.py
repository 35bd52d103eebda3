"""Access-matrix rows of the municipal pillar (merged into SUPPORT_URLS / SUPPORT_GRAPHQL).

World: the demo engagements. 千代田区 (the demo requester's) has an outreach consultation it asked for (requested)
and took part in held engagements; 八王子市 (132012) is another organisation. Requesters see only their
organisation's engagements; HR sees none one by one, only the coverage.
"""

import datetime as dt

from core.fiscal import today
from support.engagement_models import Engagement, EngagementStatus

EVERYONE = {"requester", "ict_staff", "ict_manager", "hr", "admin"}
ICT = {"ict_staff", "ict_manager", "admin"}
MANAGERS = {"ict_manager", "admin"}
DEMO_ORG = "131016"


def asked(world) -> Engagement:
    """The outreach consultation the demo requester's organisation asked for (the first it asked for)."""
    return Engagement.objects.filter(requesting_organization__code=DEMO_ORG).order_by("pk").first()


def held_ours(world) -> Engagement:
    return (
        Engagement.objects.filter(organizations__code=DEMO_ORG, status=EngagementStatus.HELD)
        .order_by("pk")
        .first()
    )


def pk_of(find):
    return lambda world: {"pk": find(world).pk}


def field(find, name):
    return lambda world: getattr(Engagement.objects.get(pk=find(world).pk), name)


def future(days=20) -> str:
    return (today() + dt.timedelta(days=days)).isoformat()


ENGAGEMENT_URLS = {
    "support:engagement_list": {"allowed": {"requester"} | ICT},
    "support:engagement_create": {
        "allowed": MANAGERS,
        "post": {
            "data": lambda world: {
                "kind": "study_session",
                "theme": "matrix",
                "starts_at": f"{future(-3)}T14:00",
                "participant_count": "21",
            },
            "effect": lambda world: Engagement.objects.filter(theme="matrix").count(),
            "allowed": MANAGERS,
        },
    },
    "support:outreach_request": {
        "allowed": {"requester"},
        "post": {
            "data": lambda world: {"theme": "matrix", "date_1": future()},
            "effect": lambda world: Engagement.objects.filter(theme="matrix").count(),
            "allowed": {"requester"},
        },
    },
    "support:engagement_detail": {"kwargs": pk_of(asked), "allowed": {"requester"} | ICT},
    "support:engagement_schedule": {
        "method": "post",
        "kwargs": pk_of(asked),
        "data": lambda world: {"starts_at": f"{future()}T10:00"},
        "effect": field(asked, "status"),
        "allowed": MANAGERS,
    },
    "support:engagement_decline": {
        "method": "post",
        "kwargs": pk_of(asked),
        "data": {"reason": "matrix"},
        "effect": field(asked, "status"),
        "allowed": MANAGERS,
    },
    "support:engagement_outcome": {
        "method": "post",
        "kwargs": pk_of(held_ours),
        "data": {"participant_count": "7", "outcomes": "matrix"},
        "effect": field(held_ours, "outcomes"),
        "allowed": MANAGERS,
    },
    "support:engagement_edit": {
        "kwargs": pk_of(held_ours),
        "allowed": MANAGERS,
        "post": {
            "data": lambda world: {
                "kind": "round_table",
                "theme": "matrix",
                "starts_at": f"{future(-2)}T15:00",
                "participant_count": "5",
            },
            "effect": field(held_ours, "theme"),
            "allowed": MANAGERS,
        },
    },
    "support:engagement_material": {
        "skip": "needs a stored file; covered in tests/support/test_engagements.py"
    },
    "support:organization_overview": {
        "kwargs": lambda world: {"code": DEMO_ORG},
        "allowed": {"requester"} | ICT,
    },
}

ENGAGEMENT_GRAPHQL: dict[str, dict] = {}

COVERAGE = {"hr", "ict_manager", "admin"}
ENGAGEMENT_GRAPHQL |= {
    "engagements": {"query": "query { engagements(first: 5) { totalCount } }", "allowed": EVERYONE},
    "organizationOverview": {
        "query": f'query {{ organizationOverview(code: "{DEMO_ORG}") {{ code requestCount }} }}',
        "allowed": EVERYONE,  # null for those who may not see it: scoping, not an error
    },
    "engagementCoverage": {
        "query": "query { engagementCoverage(fiscalYear: 2025) { withRoundTable } }",
        "allowed": COVERAGE,
    },
    "submitEngagement": {
        "query": 'mutation { submitEngagement(kind: STUDY_SESSION, theme: "matrix", '
        'startsAt: "2025-06-10T14:00:00+09:00") { errors { code } } }',
        "effect": lambda world: Engagement.objects.filter(theme="matrix").count(),
        "allowed": MANAGERS,
    },
    "requestOutreach": {
        "query": 'mutation { requestOutreach(theme: "matrix", proposedDates: ["2099-05-10"]) { errors { code } } }',
        "effect": lambda world: Engagement.objects.filter(theme="matrix").count(),
        "allowed": {"requester"},
    },
}
