"""Report pages and downloads: access per role, the explanation on empty data, formula-safe exports."""

import io

import openpyxl
import pytest
from django.urls import reverse

DASHBOARD = "/reports/?fy=2025&q=1"
SKILLS = "/reports/skills/?fy=2025&q=1"


def test_url_names():
    assert (
        reverse("reports:dashboard"),
        reverse("reports:skills"),
        reverse("reports:export", args=["skills", "csv"]),
    ) == (
        "/reports/",
        "/reports/skills/",
        "/reports/export/skills.csv",
    )


@pytest.mark.parametrize(("fixture", "status"), [
    ("requester", 404), ("ict_staff", 404), ("hr_user", 404), ("ict_manager", 200), ("admin_user", 200),
])  # fmt: skip
def test_dashboard_access_per_role(request, client_for, fixture, status):
    assert client_for(request.getfixturevalue(fixture)).get(DASHBOARD).status_code == status


@pytest.mark.parametrize(("fixture", "status"), [
    ("requester", 404), ("ict_staff", 404), ("hr_user", 200), ("ict_manager", 200), ("admin_user", 200),
])  # fmt: skip
def test_skill_coverage_access_per_role(request, client_for, fixture, status):
    assert client_for(request.getfixturevalue(fixture)).get(SKILLS).status_code == status


@pytest.mark.parametrize(("url", "fixture", "status"), [
    ("/reports/export/dashboard.csv", "hr_user", 404),
    ("/reports/export/dashboard.xlsx", "ict_staff", 404),
    ("/reports/export/dashboard.csv", "ict_manager", 200),
    ("/reports/export/skills.xlsx", "requester", 404),
    ("/reports/export/skills.csv", "hr_user", 200),
    ("/reports/export/demand-supply.csv", "ict_staff", 404),
    ("/reports/export/demand-supply.xlsx", "hr_user", 200),
    ("/reports/export/nope.csv", "admin_user", 404),
])  # fmt: skip
def test_export_access_per_role(request, client_for, url, fixture, status):
    assert client_for(request.getfixturevalue(fixture)).get(url + "?fy=2025&q=1").status_code == status


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(DASHBOARD).status_code == 302


def test_dashboard_defaults_to_the_current_quarter(client_for, ict_manager):
    from core import fiscal

    today = fiscal.today()
    report = client_for(ict_manager).get("/reports/").context["report"]
    assert (report.fiscal_year, report.quarter) == (fiscal.fiscal_year_of(today), fiscal.quarter_of(today))


def test_invalid_period_falls_back_with_a_message(client_for, ict_manager):
    response = client_for(ict_manager).get("/reports/?fy=abc&q=9")
    assert response.context["errors"] and response.status_code == 200


def test_brand_new_installation_explains_the_empty_dashboard(client_for, ict_manager):
    content = client_for(ict_manager).get(DASHBOARD).content.decode()
    assert "report-explanation" in content and "<canvas" not in content


def test_empty_period_explains_itself(dashboard_world, client_for, ict_manager):
    content = client_for(ict_manager).get("/reports/?fy=2019&q=1").content.decode()
    assert "report-explanation" in content


def test_dashboard_draws_charts_with_tables(dashboard_world, client_for, ict_manager):
    content = client_for(ict_manager).get(DASHBOARD).content.decode()
    assert content.count("<canvas") <= content.count("<table") and 'id="chart-by-category"' in content


def test_dashboard_serves_its_chart_library_itself(client_for, ict_manager):
    content = client_for(ict_manager).get(DASHBOARD).content.decode()
    assert "/static/vendor/chartjs/chart.umd.min.js" in content and "/static/reports/charts.js" in content


def test_brand_new_installation_explains_the_empty_skill_coverage(client_for, hr_user):
    content = client_for(hr_user).get(SKILLS).content.decode()
    assert "report-explanation" in content and "<canvas" not in content


def test_skill_coverage_page_shows_the_heat_map(coverage_world, client_for, hr_user):
    content = client_for(hr_user).get(SKILLS).content.decode()
    assert 'id="heat"' in content and "heat-4" in content


def test_skill_coverage_shows_no_request_contents_to_hr(dashboard_world, coverage_world, client_for, hr_user):
    content = client_for(hr_user).get(SKILLS + "&skill=skill-c").content.decode()
    assert dashboard_world["C"].title not in content and dashboard_world["A"].reference not in content


def test_skill_coverage_lists_reskilling_candidates_for_a_skill(coverage_world, client_for, hr_user):
    content = client_for(hr_user).get(SKILLS + "&skill=skill-c").content.decode()
    assert 'id="reskilling-candidates"' in content and "p4@example.com" in content


def test_unknown_skill_is_explained(coverage_world, client_for, hr_user):
    response = client_for(hr_user).get(SKILLS + "&skill=no-such-skill")
    assert response.context["unknown_skill"] is True


def test_reskilling_export_of_an_unknown_skill_is_404(coverage_world, client_for, hr_user):
    assert client_for(hr_user).get("/reports/export/reskilling.csv?skill=nope").status_code == 404


def test_csv_export_is_utf8_with_bom(dashboard_world, client_for, ict_manager):
    body = client_for(ict_manager).get("/reports/export/dashboard.csv?fy=2025&q=1").content
    assert body.startswith("\ufeff".encode()) and "仕様書の技術的確認" in body.decode("utf-8-sig")


def test_csv_export_neutralises_formulas(dashboard_world, client_for, ict_manager):
    text = (
        client_for(ict_manager).get("/reports/export/dashboard.csv?fy=2025&q=1").content.decode("utf-8-sig")
    )
    assert "'=1+1" in text and ",=1+1" not in text


def test_xlsx_export_neutralises_formulas(dashboard_world, client_for, ict_manager):
    body = client_for(ict_manager).get("/reports/export/dashboard.xlsx?fy=2025&q=1").content
    book = openpyxl.load_workbook(io.BytesIO(body))
    values = [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "'=1+1" in values and "=1+1" not in values


def test_xlsx_export_has_a_sheet_per_table(coverage_world, client_for, hr_user):
    body = client_for(hr_user).get("/reports/export/skills.xlsx?fy=2025&q=1").content
    assert len(openpyxl.load_workbook(io.BytesIO(body)).sheetnames) >= 10


def test_reskilling_export_lists_candidates(coverage_world, client_for, hr_user):
    text = client_for(hr_user).get("/reports/export/reskilling.csv?skill=skill-c").content.decode("utf-8-sig")
    assert text.index("p4@example.com") < text.index("p5@example.com")


def _page_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_page_query_count_is_constant(dashboard_world, client_for, ict_manager, requesters, categories,
                                                requests_factory, django_assert_max_num_queries):  # fmt: skip
    from reports import preaggregate
    from tests.reports.conftest import jst

    client = client_for(ict_manager)
    preaggregate.refresh(2025)
    small = _page_queries(client, DASHBOARD, django_assert_max_num_queries)
    exact = _page_queries(client, DASHBOARD + "&exact=1", django_assert_max_num_queries)
    for day in range(1, 10):
        requests_factory.file(
            requesters["city"], category=categories["web"], phase="operation", submitted=jst(2025, 5, day, 10),
            first=jst(2025, 5, day, 15), resolved=jst(2025, 6, day, 10), score=1 + day % 5,
        )  # fmt: skip
    preaggregate.refresh(2025)
    assert _page_queries(client, DASHBOARD, django_assert_max_num_queries) == small
    assert (
        _page_queries(client, DASHBOARD + "&exact=1", django_assert_max_num_queries) == exact == small + 9 - 1
    )


def test_dashboard_says_when_its_figures_were_computed_and_offers_exact(
    dashboard_world, client_for, ict_manager
):
    from reports.models import PeriodAggregate

    client = client_for(ict_manager)
    page = client.get(DASHBOARD).content.decode()
    stored = PeriodAggregate.objects.get(fiscal_year=2025, quarter=1)
    assert "集計時点" in page and stored.final
    assert "exact=1" in page
    live = client.get(DASHBOARD + "&exact=1").content.decode()
    assert "即時集計" in live and PeriodAggregate.objects.get(pk=stored.pk).computed_at == stored.computed_at


def test_skills_page_query_count_is_constant(coverage_world, client_for, hr_user, staff_member,
                                             django_assert_max_num_queries):  # fmt: skip
    from reports import preaggregate

    client = client_for(hr_user)
    url = SKILLS + "&skill=skill-c"
    preaggregate.refresh(2025)
    small = _page_queries(client, url, django_assert_max_num_queries)
    exact = _page_queries(client, url + "&exact=1", django_assert_max_num_queries)
    for n in range(6):
        staff_member(f"more{n}@example.com", job_type=coverage_world["pm"])
    preaggregate.refresh(2025)
    assert _page_queries(client, url, django_assert_max_num_queries) == small
    # live: the coverage's 9 queries instead of one stored row (the reskilling tab computes no demand vs supply)
    assert _page_queries(client, url + "&exact=1", django_assert_max_num_queries) == exact == small + 8


def test_skills_page_says_when_its_figures_were_computed(coverage_world, client_for, hr_user):
    client = client_for(hr_user)
    page = client.get(SKILLS).content.decode()
    assert "集計時点" in page and "exact=1" in page
    assert "即時集計" in client.get(SKILLS + "&exact=1").content.decode()


def test_pages_and_downloads_work_on_the_demo_world(db, client_for):
    from accounts.models import User
    from seeds.demo import load_demo
    from seeds.reference import load_reference

    load_reference()
    load_demo(password="demo-pass-2025", scale=0.05)
    manager, hr = User.objects.get(email="manager@example.com"), User.objects.get(email="hr@example.com")
    urls = [
        (manager, "/reports/?fy=2025&q=4"),
        (manager, "/reports/export/dashboard.xlsx?fy=2025&q=4"),
        (hr, "/reports/skills/?fy=2025&q=4&group_by=organization&skill=SEC-INCIDENT"),
        (hr, "/reports/export/skills.csv?fy=2025&q=4"),
        (hr, "/reports/export/demand-supply.xlsx?fy=2025"),
    ]
    assert [client_for(user).get(url).status_code for user, url in urls] == [200] * len(urls)
