"""Fixtures for support requests, built through the services (assignments are written directly: the staffing
app owns the assignment service)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from seeds.reference_support import load_request_categories
from skills.models import Skill, SkillCategory, StaffProfile
from support import services
from support.attachments import sample_bytes
from support.models import Assignment, RequestCategory, Status


@pytest.fixture
def categories(db):
    load_request_categories()
    return RequestCategory.objects.all()


@pytest.fixture
def category(categories):
    return RequestCategory.objects.get(code="spec-review")


@pytest.fixture
def skills(db):
    group = SkillCategory.objects.create(code="security", name="セキュリティ", name_en="Security")
    return [
        Skill.objects.create(code="sec-governance", name="セキュリティガバナンス", category=group),
        Skill.objects.create(code="cloud-arch", name="クラウド設計", category=group),
    ]


@pytest.fixture
def submit(category, requester):
    """submit(user=requester, **fields) → a request filed through request_submit."""

    def make(user=None, **fields):
        values = {
            "title": "仕様書の確認",
            "description": "次年度の調達仕様書を確認してください。",
            "category": category,
            "phase": "procurement",
            "desired_start": dt.date(2026, 12, 1),
            "due_date": dt.date(2027, 1, 31),
            "contact": "内線 1234",
        }
        values.update(fields)
        return services.request_submit(actor=user or requester, **values)

    return make


@pytest.fixture
def submitted(submit):
    return submit()


@pytest.fixture
def staff_profile(ict_staff):
    return StaffProfile.objects.create(user=ict_staff, capacity_hours_per_week=Decimal("20"))


@pytest.fixture
def triaged(submitted, ict_manager):
    return services.request_triage(actor=ict_manager, request=submitted, accept=True, priority=2)


@pytest.fixture
def assigned(triaged, staff_profile, ict_manager):
    Assignment.objects.create(
        request=triaged, staff=staff_profile, role="lead", allocated_hours_per_week=4, assigned_by=ict_manager
    )
    return triaged


@pytest.fixture
def in_progress(assigned, ict_staff):
    return services.request_change_status(actor=ict_staff, request=assigned, to_status=Status.IN_PROGRESS)


@pytest.fixture
def resolved(in_progress, ict_staff):
    return services.request_change_status(actor=ict_staff, request=in_progress, to_status=Status.RESOLVED)


@pytest.fixture
def pdf_file():
    return SimpleUploadedFile("spec.pdf", sample_bytes("pdf"), content_type="application/pdf")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
