"""The reports' figures named in the reader's language.

A report's figures may be stored (reports.preaggregate) with the names of the language they were computed in. The
pages, downloads and GraphQL answers rename categories, organisations, job types and skills by their code, in the
reader's language (core.names), just before showing them. A few queries at most; none when there is nothing to name.
"""

from __future__ import annotations

from accounts.models import Organization
from core.names import names_by_code


def localize_coverage(report):
    """The job types and organisations of HR's skill coverage (groups, heat rows, gaps)."""
    from skills.models import JobType

    if report is None or report.is_empty:
        return report
    group_model = JobType if report.group_by == "job_type" else Organization
    groups = names_by_code(group_model, [key for key, _label in report.groups])
    job_types = groups if group_model is JobType else {}
    missing = {gap.job_type_code for gap in report.gaps} - set(job_types)
    job_types = {**job_types, **names_by_code(JobType, missing)}
    report.groups = [(key, groups.get(key, label)) for key, label in report.groups]
    for row in report.heat:
        row.group_label = groups.get(row.group_key, row.group_label)
    for gap in report.gaps:
        gap.job_type = job_types.get(gap.job_type_code, gap.job_type)
    return report


def localize_dashboard(report):
    """The categories, organisations and requested skills of the dashboard."""
    from skills.models import Skill
    from support.models import RequestCategory

    if report is None:
        return report
    category_rows = [*report.by_category, *report.top_categories]
    categories = names_by_code(RequestCategory, [row.key for row in category_rows])
    for row in category_rows:
        row.label = categories.get(row.key, row.label)
    organizations = names_by_code(Organization, [row.key for row in report.by_organization])
    for row in report.by_organization:
        row.label = organizations.get(row.key, row.label)
    skills = names_by_code(Skill, [row.code for row in report.top_skills])
    for row in report.top_skills:
        row.name = skills.get(row.code, row.name)
    return report
