"""Access-matrix rows of core: an import job's page and status fragment (only the user who started it)."""

from core.models import Job, JobState


def admin_job(world) -> dict:
    """A finished dry run of the demo admin's (made again if a rolled-back call made the last one)."""
    if not Job.objects.filter(pk=world.get("admin_job_pk")).exists():
        job = Job.objects.create(
            kind="import:skills",
            user=world["users"]["admin"],
            step="validate",
            state=JobState.DONE,
            params={
                "title": "Import skill data",
                "confirm_url": "skills:import_confirm",
                "again_url": "skills:import",
            },
            result={"dry_run": True, "error": "", "lines": [[2, "created", "", "", "", "staff@example.com"]]},
        )
        world["admin_job_pk"] = job.pk
    return {"pk": world["admin_job_pk"]}


CORE_URLS = {
    "core:import_job": {"kwargs": admin_job, "allowed": {"admin"}},
    "core:import_job_status": {"kwargs": admin_job, "allowed": {"admin"}},
}

CORE_GRAPHQL = {
    "importJob": {
        "query": "query($id: ID!) { importJob(id: $id) { state progress errors { row message } } }",
        "variables": lambda w: {"id": str(admin_job(w)["pk"])},
        "allowed": {"admin"},
    },
}
