"""Access-matrix rows of core: an import or export job's page and status fragment, an export's file (only the user
who started it)."""

from django.core.files.base import ContentFile

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


def admin_export(world) -> dict:
    """A finished export of the demo admin's, its file kept (made again if a rolled-back call made the last one)."""
    if not Job.objects.filter(pk=world.get("admin_export_pk")).exists():
        job = Job(
            kind="export:support",
            user=world["users"]["admin"],
            step="build",
            state=JobState.DONE,
            filename="support-requests.csv",
            params={"title": "Export requests"},
            result={"rows": 1, "content_type": "text/csv; charset=utf-8"},
        )
        job.file.save("export-matrix.csv", ContentFile(b"reference\r\nDX-1\r\n"), save=False)
        job.save()
        world["admin_export_pk"] = job.pk
    return {"pk": world["admin_export_pk"]}


CORE_URLS = {
    "core:import_job": {"kwargs": admin_job, "allowed": {"admin"}},
    "core:import_job_status": {"kwargs": admin_job, "allowed": {"admin"}},
    "core:export_job": {"kwargs": admin_export, "allowed": {"admin"}},
    "core:export_job_status": {"kwargs": admin_export, "allowed": {"admin"}},
    "core:export_job_download": {"kwargs": admin_export, "allowed": {"admin"}},
}

CORE_GRAPHQL = {
    "importJob": {
        "query": "query($id: ID!) { importJob(id: $id) { state progress errors { row message } } }",
        "variables": lambda w: {"id": str(admin_job(w)["pk"])},
        "allowed": {"admin"},
    },
    "exportJob": {
        "query": "query($id: ID!) { exportJob(id: $id) { state progress downloadUrl } }",
        "variables": lambda w: {"id": str(admin_export(w)["pk"])},
        "allowed": {"admin"},
    },
}
