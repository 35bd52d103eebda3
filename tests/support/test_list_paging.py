"""The request lists page the same way at any depth: the count stops at a cap (shown as 「N 件以上」), deep pages show
the right rows in the list's order, and the number of queries depends on neither the page size nor the depth."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import CappedCountPaginator, capped_count, page_rows
from support import selectors
from support.models import SupportRequest

CAP = 30


@pytest.fixture
def many(submit, ict_manager, staff_profile):
    """70 requests: 3 filed through the service, the rest copies of them (bulk, different references and times)."""
    first = [submit(title=f"元の依頼 {i}") for i in range(3)]
    copies = []
    for i in range(67):
        source = first[i % 3]
        copy = SupportRequest.objects.get(pk=source.pk)
        copy.pk = None
        copy.reference = f"DX-2026-{9000 + i:05d}"
        copy.title = f"複製の依頼 {i}"
        copy.submitted_at = source.submitted_at - dt.timedelta(hours=i + 1)
        copies.append(copy)
    SupportRequest.objects.bulk_create(copies)
    return SupportRequest.objects.order_by("-submitted_at", "-pk")


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", CAP)


def _references(content: str) -> list[str]:
    return re.findall(r">(DX-\d{4}-\d{4,5})</a>", content)


def _get(client, url_name, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_count_under_the_cap_is_exact(client_for, ict_manager, many):
    content, _ = _get(client_for(ict_manager), "support:request_list")
    assert "70 件" in content and "件以上" not in content


def test_count_over_the_cap_says_so(client_for, ict_manager, many, small_cap):
    content, _ = _get(client_for(ict_manager), "support:request_list")
    assert f"{CAP} 件以上" in content


def test_deep_pages_show_the_lists_rows_in_order(client_for, ict_manager, many, small_cap):
    client = client_for(ict_manager)
    expected = [r.reference for r in many]
    shown = []
    for page in (1, 2, 3):  # pages 2 and 3 lie beyond the capped count (30 rows)
        content, _ = _get(client, "support:request_list", page=page, per_page=25)
        shown += _references(content)
    assert shown == expected
    # a page past the end of a capped list falls back to a page that exists instead of failing
    content, _ = _get(client, "support:request_list", page=99, per_page=25)
    assert _references(content)


@pytest.mark.parametrize("url_name", ["support:request_list", "support:triage"])
def test_queries_do_not_depend_on_page_size_or_depth(client_for, ict_manager, many, small_cap, url_name):
    client = client_for(ict_manager)
    extra = {"_all": "1"} if url_name == "support:triage" else {}
    counts = {
        (per_page, page): _get(client, url_name, page=page, per_page=per_page, **extra)[1]
        for per_page, page in ((25, 1), (25, 3), (50, 2), (100, 1))
    }
    assert len(set(counts.values())) == 1, counts


def test_filters_still_narrow_a_capped_list(client_for, ict_manager, many, small_cap):
    content, _ = _get(client_for(ict_manager), "support:request_list", q="元の依頼")
    assert "3 件" in content and len(_references(content)) == 3


def test_capped_count_and_page_rows(ict_manager, many):
    queryset = selectors.request_list_for(ict_manager)
    assert capped_count(queryset, 10) == 11
    assert capped_count(queryset, 100) == 70
    assert [r.pk for r in page_rows(queryset, 40, 45)] == [r.pk for r in many[40:45]]
    assert page_rows(queryset, 70, 80) == []
