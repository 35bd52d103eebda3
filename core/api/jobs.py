"""GraphQL for background jobs: `importJob(id)` — the state, progress and errors of one of the caller's imports;
`exportJob(id)` — the state and progress of one of the caller's large exports, and its download link when done."""

import graphene
from django.urls import reverse

from core.api.errors import NotFound, require_user
from core.models import JobState
from core.tabular import export_jobs
from core.tabular import jobs as import_jobs

JobStateEnum = graphene.Enum.from_enum(JobState, name="JobState")


class _RowCounts:
    """`rowsDone` / `rowsTotal` of a job: the rows its task has done so far, of how many."""

    rows_done = graphene.Int(required=True)
    rows_total = graphene.Int(required=True)

    @staticmethod
    def resolve_rows_done(job, info):
        return job.done

    @staticmethod
    def resolve_rows_total(job, info):
        return job.total


class ImportJobStep(graphene.Enum):
    VALIDATE = import_jobs.VALIDATE
    WRITE = import_jobs.WRITE


class ImportJobError(graphene.ObjectType):
    """One problem of an import: a bad cell (row and column), a bad row (row only) or the whole file (neither)."""

    row = graphene.Int(description="The spreadsheet's row number (the header is row 1).")
    column = graphene.String(description="The column's code.")
    message = graphene.String(required=True)


class ImportJob(_RowCounts, graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True, description='What is imported, e.g. "import:skills".')
    step = graphene.Field(ImportJobStep, required=True, description="The dry run, or the confirmed write.")
    state = graphene.Field(JobStateEnum, required=True)
    progress = graphene.Int(required=True, description="0–100; 100 when the step is over.")
    errors = graphene.List(graphene.NonNull(ImportJobError), required=True)
    created = graphene.DateTime(required=True)
    finished = graphene.DateTime()

    @staticmethod
    def resolve_step(job, info):
        return job.step

    @staticmethod
    def resolve_errors(job, info):
        return [ImportJobError(**error) for error in import_jobs.errors(job)] if job.is_over else []


class ExportJob(_RowCounts, graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True, description='What is exported, e.g. "export:support".')
    state = graphene.Field(JobStateEnum, required=True)
    progress = graphene.Int(required=True, description="0–100; 100 when the job is over.")
    filename = graphene.String(required=True)
    download_url = graphene.String(
        description="Once the file is ready (null before, or when the job failed); needs your signed-in session."
    )
    error = graphene.String(description="Why the export failed (null unless it did).")
    created = graphene.DateTime(required=True)
    finished = graphene.DateTime()

    @staticmethod
    def resolve_download_url(job, info):
        return reverse("core:export_job_download", args=[job.pk]) if export_jobs.ready(job) else None

    @staticmethod
    def resolve_error(job, info):
        return job.error or None


def _own_job(find, info, job_id):
    """The caller's job `job_id` found by `find(user, id)`; NOT_FOUND for anyone else's (or none)."""
    job = find(require_user(info), job_id)
    if job is None:
        raise NotFound()
    return job


class Query(graphene.ObjectType):
    import_job = graphene.Field(
        ImportJob,
        id=graphene.ID(required=True),
        description="One of your import jobs (NOT_FOUND for anyone else's): poll it for the progress bar.",
    )

    @staticmethod
    def resolve_import_job(root, info, id):
        return _own_job(import_jobs.for_user, info, id)

    export_job = graphene.Field(
        ExportJob,
        id=graphene.ID(required=True),
        description="One of your large exports (NOT_FOUND for anyone else's): poll it, then download the file.",
    )

    @staticmethod
    def resolve_export_job(root, info, id):
        return _own_job(export_jobs.for_user, info, id)
