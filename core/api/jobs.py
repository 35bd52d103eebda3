"""GraphQL for background jobs: `importJob(id)` — the state, progress and errors of one of the caller's imports."""

import graphene

from core.api.errors import NotFound, require_user
from core.models import JobState
from core.tabular import jobs as import_jobs

JobStateEnum = graphene.Enum.from_enum(JobState, name="JobState")


class ImportJobStep(graphene.Enum):
    VALIDATE = import_jobs.VALIDATE
    WRITE = import_jobs.WRITE


class ImportJobError(graphene.ObjectType):
    """One problem of an import: a bad cell (row and column), a bad row (row only) or the whole file (neither)."""

    row = graphene.Int(description="The spreadsheet's row number (the header is row 1).")
    column = graphene.String(description="The column's code.")
    message = graphene.String(required=True)


class ImportJob(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True, description='What is imported, e.g. "import:skills".')
    step = graphene.Field(ImportJobStep, required=True, description="The dry run, or the confirmed write.")
    state = graphene.Field(JobStateEnum, required=True)
    progress = graphene.Int(required=True, description="0–100; 100 when the step is over.")
    rows_done = graphene.Int(required=True)
    rows_total = graphene.Int(required=True)
    errors = graphene.List(graphene.NonNull(ImportJobError), required=True)
    created = graphene.DateTime(required=True)
    finished = graphene.DateTime()

    @staticmethod
    def resolve_step(job, info):
        return job.step

    @staticmethod
    def resolve_rows_done(job, info):
        return job.done

    @staticmethod
    def resolve_rows_total(job, info):
        return job.total

    @staticmethod
    def resolve_errors(job, info):
        return [ImportJobError(**error) for error in import_jobs.errors(job)] if job.is_over else []


class Query(graphene.ObjectType):
    import_job = graphene.Field(
        ImportJob,
        id=graphene.ID(required=True),
        description="One of your import jobs (NOT_FOUND for anyone else's): poll it for the progress bar.",
    )

    @staticmethod
    def resolve_import_job(root, info, id):
        job = import_jobs.for_user(require_user(info), id)
        if job is None:
            raise NotFound()
        return job
