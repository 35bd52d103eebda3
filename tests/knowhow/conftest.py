"""Fixtures for know-how: past requests of two organisations, resolved through the support services."""

import pytest

from seeds.reference_support import load_request_categories
from support import services
from support.models import RequestCategory, Status


@pytest.fixture
def categories(db):
    load_request_categories()
    return {c.code: c for c in RequestCategory.objects.all()}


@pytest.fixture
def resolve(categories, ict_manager):
    """resolve(requester, title, description, code="spec-review") → a request filed, triaged, worked and resolved
    through the services; the index is updated as after a commit (the status-change hook)."""

    def make(requester, title, description, code="spec-review"):
        request = services.request_submit(
            actor=requester,
            title=title,
            description=description,
            category=categories[code],
            phase="procurement",
        )
        services.request_triage(actor=ict_manager, request=request, accept=True, priority=2)
        services.request_change_status(actor=ict_manager, request=request, to_status=Status.IN_PROGRESS)
        services.request_change_status(actor=ict_manager, request=request, to_status=Status.RESOLVED)
        request.refresh_from_db()
        return request

    return make


@pytest.fixture
def commit_hooks(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the index hook) of what the test does inside `with commit_hooks():`."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def past(resolve, requester, other_requester, commit_hooks):
    """Two past requests of the requester's ward and two of another ward, indexed."""
    with commit_hooks():
        own = resolve(
            requester,
            "基幹システム更改の調達仕様書の技術的確認",
            "次年度の基幹システム更改に向けた仕様書を確認してほしい。",
        )
        own_bcp = resolve(
            requester, "情報システムのBCP見直し", "災害時の業務継続計画を見直したい。", "security-bcp"
        )
        other = resolve(
            other_requester,
            "住民情報システム更改に係る調達仕様書のレビュー",
            "非機能要件の書き方を見てほしい。",
        )
        other_kintone = resolve(
            other_requester, "キントーンで申請受付を効率化", "ローコードツールの導入相談。", "lowcode-rpa"
        )
    return {"own": own, "own_bcp": own_bcp, "other": other, "other_kintone": other_kintone}
