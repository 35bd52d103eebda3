"""Rows for tests/test_access_matrix.py: every know-how URL and GraphQL root field, who may use it.

The case library, its cases and the suggestions are for every signed-in user (what each one is shown is scoped:
tests/knowhow/test_similarity.py). The know-how panel of a request follows the request: its organisation's requesters
and the ICT side. Publishing and withdrawing a case: a manager (or admin), or ICT staff who worked on the request —
the rows use a request the demo ICT staff member never worked on. Linking requests: the ICT side.
Objects are found by query (not by reference), so that a change in the demo's numbering keeps the rows meaningful.
"""

from graphql_relay import to_global_id

from core.models import AuditEvent
from knowhow.models import Case, CaseStatus, RequestLink
from support.models import Status, SupportRequest

EVERYONE = {"requester", "ict_staff", "ict_manager", "hr", "admin"}
ICT = {"ict_staff", "ict_manager", "admin"}
MANAGERS = {"ict_manager", "admin"}
REQUEST_SIDE = {"requester", *ICT}


def published_case(world) -> Case:
    """The demo's first case (published by the demo step): the same row before and after a withdrawal."""
    return Case.objects.order_by("pk").first()


def uncased_past_request(world) -> SupportRequest:
    """A closed request with no case, which the demo ICT staff member never worked on."""
    staff = world["users"]["ict_staff"]
    return (
        SupportRequest.objects.filter(status__in=(Status.RESOLVED, Status.CLOSED), case__isnull=True)
        .exclude(assignments__staff__user=staff)
        .order_by("pk")
        .first()
    )


def requesters_request(world) -> SupportRequest:
    return (
        SupportRequest.objects.filter(organization=world["users"]["requester"].organization)
        .order_by("pk")
        .first()
    )


def linked_pair(world) -> tuple[SupportRequest, SupportRequest]:
    first, second = SupportRequest.objects.order_by("pk")[:2]
    return first, second


def case_status(world):
    return published_case(world).status


def case_count(world):
    return Case.objects.filter(status=CaseStatus.PUBLISHED).count()


def link_count(world):
    return RequestLink.objects.count()


def unlink_events(world):
    return AuditEvent.objects.filter(verb="request.unlink").count()


def _prepare_link(client, world) -> dict:
    first, second = linked_pair(world)
    RequestLink.objects.get_or_create(
        from_request=first, to_request=second, defaults={"created_by": world["users"]["admin"]}
    )
    return {}


CASE_FORM = {
    "title": "マトリクスの事例",
    "problem": "課題",
    "actions": "対応",
    "lessons": "",
    "documents": "",
}

KNOWHOW_URLS = {
    "knowhow:case_list": {"allowed": EVERYONE, "query": "?search=仕様書"},
    "knowhow:case_detail": {"kwargs": lambda world: {"pk": published_case(world).pk}, "allowed": EVERYONE},
    "knowhow:suggest": {"allowed": EVERYONE, "query": "?title=仕様書の確認&description=BCP"},
    "knowhow:request_panel": {
        "kwargs": lambda world: {"reference": requesters_request(world).reference},
        "allowed": REQUEST_SIDE,
    },
    "knowhow:case_edit": {
        "kwargs": lambda world: {"reference": uncased_past_request(world).reference},
        "allowed": MANAGERS,
        "post": {"data": CASE_FORM, "effect": case_count, "allowed": MANAGERS},
    },
    "knowhow:case_withdraw": {
        "method": "post",
        "kwargs": lambda world: {"pk": published_case(world).pk},
        "allowed": MANAGERS,
        "effect": case_status,
    },
    "knowhow:link_add": {
        "method": "post",
        "kwargs": lambda world: {"reference": linked_pair(world)[0].reference},
        "data": lambda world: {"other": linked_pair(world)[1].reference},
        "allowed": ICT,
        "effect": link_count,
    },
    "knowhow:link_remove": {
        "method": "post",
        "kwargs": lambda world: {
            "reference": linked_pair(world)[0].reference,
            "other": linked_pair(world)[1].reference,
        },
        "prepare": _prepare_link,
        "allowed": ICT,
        "effect": unlink_events,
    },
}

KNOWHOW_GRAPHQL = {
    "similarRequests": {
        "query": 'query { similarRequests(text: "調達仕様書の技術的確認", limit: 3) { score title } }',
        "allowed": EVERYONE,
    },
    "relatedRequests": {
        "query": "query ($r: String!) { relatedRequests(reference: $r) { reference } }",
        "variables": lambda world: {"r": requesters_request(world).reference},
        "allowed": REQUEST_SIDE,
    },
    "cases": {"query": "query { cases(first: 5) { totalCount } }", "allowed": EVERYONE},
    "publishCase": {
        "query": 'mutation ($r: String!) { publishCase(reference: $r, title: "事例", problem: "課題", '
        'actions: "対応") { case { title } errors { code } } }',
        "variables": lambda world: {"r": uncased_past_request(world).reference},
        "allowed": MANAGERS,
        "effect": case_count,
    },
    "linkRelatedRequests": {
        "query": "mutation ($r: String!, $o: String!) { linkRelatedRequests(reference: $r, relatedReference: $o) "
        "{ relatedRequests { reference } errors { code } } }",
        "variables": lambda world: {
            "r": linked_pair(world)[0].reference,
            "o": linked_pair(world)[1].reference,
        },
        "allowed": ICT,
        "effect": link_count,
    },
    "unlinkRelatedRequests": {
        "query": "mutation ($r: String!, $o: String!) { unlinkRelatedRequests(reference: $r, "
        "relatedReference: $o) { relatedRequests { reference } errors { code } } }",
        # the pair is linked first (inside the row's rolled-back savepoint), as the page row's `prepare` does
        "variables": lambda world: (
            _prepare_link(None, world)
            or {"r": linked_pair(world)[0].reference, "o": linked_pair(world)[1].reference}
        ),
        "allowed": ICT,
        "effect": unlink_events,
    },
    "withdrawCase": {
        "query": "mutation ($id: ID!) { withdrawCase(id: $id) { case { status } errors { code } } }",
        "variables": lambda world: {"id": to_global_id("Case", published_case(world).pk)},
        "allowed": MANAGERS,
        "effect": case_status,
    },
}
