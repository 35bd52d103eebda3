"""Nothing an import reports as done may be undone (issue 10, class 1).

The product once answered 「1 行を取り込みました」 for a request file without a `reference` column while the
transaction was rolled back. The rule, for every import kind and every file shape (all columns, only the required
ones, a required one missing, extra columns, headers in Japanese, a file that fails at confirm): after the success
message the rows it counts are in the database with the file's values; otherwise the page says nothing was written,
and nothing was.

Every case goes through the pages (upload = a dry-run job whose page carries the token, then confirm = the write
job, whose page shows the result), the way a manager imports; the import functions the pages call (`support.resources.import_requests`,
`skills.resources.run_import`) are the only other channel and are checked on the same files.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.roles import Role
from seeds.reference_support import load_request_categories
from skills import services as skills_services
from skills.models import Certification, Skill, SkillAssessment, SkillCategory, StaffProfile
from skills.resources import run_import
from support.models import RequestCategory, SupportRequest
from support.resources import import_requests
from tests.world import in_job

# --- the import kinds: where to upload, what is written, and files of each shape --------------------------------------


REQUEST_FULL = (
    "reference,title,description,organization_code,requester_email,category_code,phase,status,priority,"
    "submitted_at,desired_start,due_date,estimated_hours,closed_at\n"
    "DX-2023-0007,過去の依頼,説明,131016,requester@example.com,spec-review,planning,closed,2,"
    "2023-06-01 10:00,2023-06-10,2023-07-31,12,2023-07-01 10:00\n"
)
REQUEST_REQUIRED = (
    "title,description,organization_code,requester_email,category_code,phase,submitted_at\n"
    "過去の依頼,説明,131016,requester@example.com,spec-review,planning,2023-06-01 10:00\n"
    "別の依頼,説明,131016,requester@example.com,spec-review,planning,2023-06-02 10:00\n"
)
REQUEST_JAPANESE = (
    "件名,依頼内容,組織コード,依頼者メールアドレス,支援区分コード,工程,受付日時\n"
    "過去の依頼,説明,131016,requester@example.com,spec-review,planning,2023-06-01 10:00\n"
)

KINDS = {
    "requests": {
        "model": SupportRequest,
        "key": "title",
        "full": REQUEST_FULL,
        "required": REQUEST_REQUIRED,
        "missing": "title,organization_code,requester_email,category_code,phase,submitted_at\n"
        "過去の依頼,131016,requester@example.com,spec-review,planning,2023-06-01 10:00\n",
        "extra": REQUEST_REQUIRED.replace("submitted_at\n", "submitted_at,memo,id\n").replace(
            "10:00\n", "10:00,関係ない列,999\n"
        ),
    },
    "staff": {
        "model": StaffProfile,
        "key": "user__email",
        "full": "email,display_name,kind,grade,capacity_hours_per_week,joined_on,active\n"
        "pool1@example.com,プール一,ict_officer,主任,16,2020-04-01,1\n",
        "required": "email\npool1@example.com\npool2@example.com\n",
        "missing": "display_name,capacity_hours_per_week\nプール一,16\n",
        "extra": "email,capacity_hours_per_week,memo\npool1@example.com,12,関係ない列\n",
    },
    "skills": {
        "model": Skill,
        "key": "code",
        "full": "code,name,name_en,category,description,active\nnew-1,新スキル,New skill,security,説明,1\n",
        "required": "code,name,category\nnew-1,新スキル一,security\nnew-2,新スキル二,security\n",
        "missing": "code,name\nnew-1,新スキル\n",
        "extra": "code,name,category,memo\nnew-1,新スキル,security,関係ない列\n",
    },
    "assessments": {
        "model": SkillAssessment,
        "key": "skill__code",
        "full": "email,skill,level,source,status,assessed_on,note\n"
        "pool1@example.com,cloud-arch,3,manager,validated,2024-05-01,面談\n",
        "required": "email,skill,level,assessed_on\n"
        "pool1@example.com,cloud-arch,3,2024-05-01\npool1@example.com,data-1,2,2024-05-01\n",
        "missing": "email,skill,assessed_on\npool1@example.com,cloud-arch,2024-05-01\n",
        "extra": "email,skill,level,assessed_on,memo\npool1@example.com,cloud-arch,3,2024-05-01,関係ない列\n",
    },
    "certifications": {
        "model": Certification,
        "key": "name",
        "full": "email,name,issuer,obtained_on,expires_on,skill,credential_id\n"
        "pool1@example.com,情報処理安全確保支援士,IPA,2024-04-01,2027-04-01,cloud-arch,RISS-1\n",
        "required": "email,name,obtained_on\npool1@example.com,資格一,2024-04-01\npool1@example.com,資格二,2024-05-01\n",
        "missing": "email,obtained_on\npool1@example.com,2024-04-01\n",
        "extra": "email,name,obtained_on,memo\npool1@example.com,資格一,2024-04-01,関係ない列\n",
    },
}
SHAPES = ("full", "required", "missing", "extra")


@pytest.fixture
def world(make_user, requester, db):
    load_request_categories()
    category = SkillCategory.objects.create(code="security", name="セキュリティ")
    for code in ("cloud-arch", "data-1"):
        skills_services.skill_upsert(actor=None, code=code, defaults={"name": code, "category": category})
    for i in (1, 2):
        user = make_user(f"pool{i}@example.com", Role.ICT_STAFF)
        if i == 1:
            StaffProfile.objects.create(user=user, capacity_hours_per_week=Decimal("20"))


# the job steps run as after the commit (TestCase.captureOnCommitCallbacks is the fixture's context manager)
CAPTURE = TestCase.captureOnCommitCallbacks


def upload(client, kind: str, content: str):
    """The dry-run job's page (the upload redirects there once the job has run)."""
    data = {"file": SimpleUploadedFile(f"{kind}.csv", content.encode())}
    if kind == "requests":
        return in_job(client, CAPTURE, reverse("support:request_import"), data)
    return in_job(client, CAPTURE, reverse("skills:import"), {"kind": kind, **data})


def confirm(client, kind: str, token: str):
    """The write job's page: the result of the import."""
    url = "support:request_import_confirm" if kind == "requests" else "skills:import_confirm"
    return in_job(client, CAPTURE, reverse(url), {"token": token})


def token_of(response) -> str:
    found = re.search(r'name="token" value="(\w+)"', response.content.decode())
    return found.group(1) if found else ""


def keys_in_file(kind: str, content: str) -> set[str]:
    """The values of the kind's key column in the file (the rows that should exist after a reported success)."""
    lines = [line.split(",") for line in content.lstrip("\ufeff").strip().splitlines()]
    column = {"requests": 0, "staff": 0, "skills": 0, "assessments": 1, "certifications": 1}[kind]
    header = lines[0]
    wanted = {"requests": ("title", "件名"), "staff": ("email",), "skills": ("code",)}.get(kind)
    if wanted:
        column = next(i for i, name in enumerate(header) if name in wanted)
    elif kind == "certifications":
        column = header.index("name")
    else:
        column = header.index("skill")
    return {line[column] for line in lines[1:]}


def success_messages(response) -> list[str]:
    """The success notices the page shows (the job page's green alert once the write job has imported)."""
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'class="alert alert-success">(.*?)</div>', response.content.decode(), re.S)
    ]


def assert_honest(kind: str, content: str, response, before: set) -> bool:
    """Either a success message whose rows are all in the database, or a refusal and an unchanged database."""
    spec = KINDS[kind]
    after = set(spec["model"].objects.values_list(spec["key"], flat=True))
    done = success_messages(response)
    if done:
        claimed = [int(n) for n in re.findall(r"\d+", done[0])]
        assert sum(claimed) >= 1 and keys_in_file(kind, content) <= after, (done, after)
        return True
    assert after == before
    return False


# --- the rule, on every kind × file shape ------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_what_the_page_reports_is_what_the_database_holds(
    client_for, admin_user, ict_manager, world, kind, shape
):
    spec, content = KINDS[kind], KINDS[kind][shape]
    client = client_for(ict_manager if kind == "requests" else admin_user)
    before = set(spec["model"].objects.values_list(spec["key"], flat=True))
    preview = upload(client, kind, content)
    token = token_of(preview)
    if shape == "missing":  # the dry run names the missing column and offers no confirm
        assert preview.status_code == 200 and not token
        with translation.override("ja"):
            assert gettext("Missing columns: %(columns)s").split("%")[0] in preview.content.decode()
        assert set(spec["model"].objects.values_list(spec["key"], flat=True)) == before
        return
    assert token, preview.content.decode()[-3000:]
    response = confirm(client, kind, token)
    assert assert_honest(kind, content, response, before), "a clean dry run must import"


def test_request_file_without_reference_column_keeps_its_rows(client_for, ict_manager, world):
    """The original report: no `reference` column → 「2 行を取り込みました」 and both rows exist, with references issued
    (the job page now words it 「インポートしました：新規 2 件…」)."""
    client = client_for(ict_manager)
    response = confirm(client, "requests", token_of(upload(client, "requests", REQUEST_REQUIRED)))
    assert success_messages(response) == ["インポートしました：新規 2 件、更新 0 件、変更なし 0 件。"]
    assert sorted(SupportRequest.objects.values_list("title", flat=True)) == ["別の依頼", "過去の依頼"]
    assert all(
        reference.startswith("DX-2023-")
        for reference in SupportRequest.objects.values_list("reference", flat=True)
    )


def test_request_file_with_japanese_headers_keeps_its_rows(client_for, ict_manager, world):
    client = client_for(ict_manager)
    response = confirm(client, "requests", token_of(upload(client, "requests", REQUEST_JAPANESE)))
    assert success_messages(response) and SupportRequest.objects.filter(title="過去の依頼").exists()


def test_request_values_of_a_full_file_are_saved(client_for, ict_manager, world):
    client = client_for(ict_manager)
    confirm(client, "requests", token_of(upload(client, "requests", REQUEST_FULL)))
    saved = SupportRequest.objects.get(reference="DX-2023-0007")
    assert (saved.priority, saved.estimated_hours, str(saved.due_date)) == (2, Decimal("12"), "2023-07-31")


# --- a file that was clean at the dry run and fails at confirm ------------------------------------------------------------


def _break_between_dry_run_and_confirm(kind: str) -> None:
    """Something changes after the dry run so that the confirm must refuse the file's second row."""
    if kind == "requests":
        RequestCategory.objects.filter(code="spec-review").delete()
    elif kind == "staff":
        get_user_model().objects.filter(email="pool2@example.com").delete()
    elif kind in ("assessments", "certifications"):
        StaffProfile.objects.filter(user__email="pool1@example.com").delete()
    else:
        SkillCategory.objects.filter(code="security").update(code="renamed")


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_file_refused_at_confirm_says_so_and_writes_nothing(
    client_for, admin_user, ict_manager, world, kind
):
    spec, content = KINDS[kind], KINDS[kind]["required"]
    client = client_for(ict_manager if kind == "requests" else admin_user)
    token = token_of(upload(client, kind, content))
    assert token
    _break_between_dry_run_and_confirm(kind)
    before = set(spec["model"].objects.values_list(spec["key"], flat=True))
    response = confirm(client, kind, token)
    assert not assert_honest(kind, content, response, before)
    with translation.override("ja"):
        assert gettext("The import was refused; nothing was changed.") in response.content.decode()


# --- the functions behind the pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ("full", "required", "extra"))
@pytest.mark.parametrize("kind", list(KINDS))
def test_the_import_functions_report_only_what_they_keep(admin_user, ict_manager, world, kind, shape):
    spec, content = KINDS[kind], KINDS[kind][shape]
    if kind == "requests":
        report = import_requests(actor=ict_manager, content=content.encode(), filename="f.csv", dry_run=False)
    else:
        report = run_import(
            actor=admin_user, kind=kind, content=content.encode(), filename="f.csv", dry_run=False
        )
    assert report.ok and report.imported >= 1
    assert keys_in_file(kind, content) <= set(spec["model"].objects.values_list(spec["key"], flat=True))


def test_a_staff_update_reported_as_done_is_saved(client_for, admin_user, world):
    client = client_for(admin_user)
    response = confirm(client, "staff", token_of(upload(client, "staff", KINDS["staff"]["extra"])))
    assert success_messages(response)
    assert StaffProfile.objects.get(user__email="pool1@example.com").capacity_hours_per_week == Decimal("12")


@pytest.mark.parametrize(
    "content",
    [
        "title,title,description,organization_code,requester_email,category_code,phase,submitted_at\n"
        "一,二,説明,131016,requester@example.com,spec-review,planning,2023-06-01 10:00\n",
        ",title,description,organization_code,requester_email,category_code,phase,submitted_at\n"
        "x,一,説明,131016,requester@example.com,spec-review,planning,2023-06-01 10:00\n",
        "\ufefftitle,description,organization_code,requester_email,category_code,phase,submitted_at\n"
        "一,説明,131016,requester@example.com,spec-review,planning,2023-06-01 10:00\n",
        "title,description,organization_code,requester_email,category_code,phase,submitted_at\n",
        "title,description,organization_code,requester_email,category_code,phase,submitted_at\n"
        "一,説明,131016,requester@example.com,spec-review,planning\n",
    ],
    ids=["duplicate-header", "blank-header", "bom", "header-only", "short-row"],
)
def test_odd_request_files_are_answered_honestly(client_for, ict_manager, world, content):
    client = client_for(ict_manager)
    preview = upload(client, "requests", content)
    assert preview.status_code == 200
    token = token_of(preview)
    if token:
        assert_honest("requests", content, confirm(client, "requests", token), set())
    else:
        assert not SupportRequest.objects.exists()


def test_a_column_given_twice_is_refused_at_the_dry_run(client_for, ict_manager, world):
    """Two 件名 columns: which one holds the title is unclear, so the file is refused rather than half-read."""
    content = REQUEST_REQUIRED.replace("title,", "title,件名,", 1).replace(
        "過去の依頼,", "過去の依頼,別名,", 1
    )
    preview = upload(client_for(ict_manager), "requests", content)
    assert not token_of(preview) and "同じ列が複数あります" in preview.content.decode()
