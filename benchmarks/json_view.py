"""Benchmark only: a plain JSON view of the data bench_support's GraphQL query reads, to measure what GraphQL costs
on top of the same reads. Not used by the app: the benchmark serves it with `ROOT_URLCONF = "benchmarks.json_view"`
(the project's URLs plus this one).

The view answers what `supportRequests(first: 100) { totalCount edges { node { reference title status
organization { code name } requiredSkills { skillCode minLevel } assignments { staffName role } } } }` answers,
with one optimised queryset (the same scope, order and, on PostgreSQL, the same JSON-row subqueries as the GraphQL
list) plus the count, and JsonResponse.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from support import selectors
from support.models import Status

STATUS_NAMES = {status.value: status.name for status in Status}


@login_required
def request_list_json(request):
    user = request.user
    first = min(int(request.GET.get("first", 100)), 100)
    queryset = selectors.request_list_for(user, with_details=False)
    total = queryset.count()
    if connection.vendor == "postgresql":
        rows = queryset.annotate(
            skills=selectors.required_skill_rows(), people=selectors.active_assignment_rows()
        ).values(
            "reference", "title", "status", "organization__code", "organization__name", "skills", "people"
        )
        nodes = [
            {
                "reference": row["reference"],
                "title": row["title"],
                "status": STATUS_NAMES[row["status"]],
                "organization": {"code": row["organization__code"], "name": row["organization__name"]},
                "requiredSkills": [
                    {"skillCode": s["skill_code"], "minLevel": s["min_level"]} for s in row["skills"]
                ],
                "assignments": [
                    {"staffName": a["display_name"] or a["email"], "role": a["role"]} for a in row["people"]
                ],
            }
            for row in rows[:first]
        ]
    else:  # the same dicts from prefetched rows
        rows = selectors.request_list_for(user)[:first]
        nodes = [
            {
                "reference": r.reference,
                "title": r.title,
                "status": STATUS_NAMES[r.status],
                "organization": {"code": r.organization.code, "name": r.organization.name},
                "requiredSkills": [
                    {"skillCode": s.skill.code, "minLevel": s.min_level} for s in r.required_skills.all()
                ],
                "assignments": [
                    {"staffName": a.staff.user.label, "role": a.role} for a in r.active_assignments
                ],
            }
            for r in rows
        ]
    return JsonResponse(
        {"data": {"supportRequests": {"totalCount": total, "edges": [{"node": node} for node in nodes]}}}
    )


urlpatterns = [path("bench/requests.json", request_list_json), *project_urlpatterns]
