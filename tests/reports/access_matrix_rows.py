"""Rows for tests/test_access_matrix.py: every report URL and GraphQL root field, who may use it.

The dashboard and the satisfaction report are for ICT managers and admins; skill coverage, demand vs supply and reskilling for HR, ICT managers
and admins. Each download of each report is checked per role in tests/reports/test_views.py.
"""

MANAGERS = {"ict_manager", "admin"}
COVERAGE = {"hr", "ict_manager", "admin"}

REPORTS_URLS = {
    "reports:dashboard": {"query": "?fy=2025&q=4", "allowed": MANAGERS},
    "reports:skills": {"query": "?fy=2025&q=4&skill=SEC-INCIDENT", "allowed": COVERAGE},
    "reports:skills_tab": {
        "kwargs": lambda world: {"tab": "demand-supply"},
        "query": "?fy=2025&q=4",
        "allowed": COVERAGE,
    },
    "reports:satisfaction": {"query": "?fy=2025&roll_up=0", "allowed": MANAGERS},
    "reports:export": {
        "kwargs": lambda world: {"report": "skills", "fmt": "csv"},
        "query": "?fy=2025&q=4",
        "allowed": COVERAGE,
    },
}

REPORTS_GRAPHQL = {
    "dashboard": {
        "query": "query { dashboard(fiscalYear: 2025, quarter: 4) { label isEmpty } }",
        "allowed": MANAGERS,
    },
    "skillCoverage": {
        "query": "query { skillCoverage(fiscalYear: 2025, quarter: 4) { staffCount truckFactor } }",
        "allowed": COVERAGE,
    },
    "skillDemandSupply": {
        "query": "query { skillDemandSupply(fiscalYear: 2025) { isEmpty } }",
        "allowed": COVERAGE,
    },
    "satisfactionReport": {
        "query": "query { satisfactionReport(fiscalYear: 2025, rollUp: true) { total { responses } } }",
        "allowed": MANAGERS,
    },
    "reskillingCandidates": {
        "query": 'query { reskillingCandidates(skill: "SEC-INCIDENT") { email } }',
        "allowed": COVERAGE,
    },
}


def _narratives(world):
    from reports.models import ProgressNarrative

    return list(ProgressNarrative.objects.values_list("text", flat=True))


REPORTS_URLS |= {
    "reports:progress": {
        "query": "?fy=2025&period=h1",
        "allowed": COVERAGE,
        "post": {"data": {"text": "matrix"}, "effect": _narratives, "allowed": MANAGERS},
    },
    "reports:progress_export": {
        "kwargs": lambda world: {"fmt": "xlsx"},
        "query": "?fy=2025&period=fy",
        "allowed": COVERAGE,
    },
    "reports:engagement_coverage": {"allowed": COVERAGE},
}

REPORTS_GRAPHQL |= {
    "progressReport": {
        "query": "query { progressReport(fiscalYear: 2025, period: H1) { label engagementsHeld } }",
        "allowed": COVERAGE,
    },
}

REPORTS_GRAPHQL |= {
    # Everyone signed in has a home page: their own counts, for the roles they hold (empty for none).
    "myWorkSummary": {
        "query": "query { myWorkSummary { key items { key count } } }",
        "allowed": {"requester", "ict_staff", "ict_manager", "hr", "admin"},
    },
}
