"""Rows for tests/test_access_matrix.py (the lead merges them: URLS.update(SKILLS_URLS); GRAPHQL.update(SKILLS_GRAPHQL)).

Checked against the tiny demo world (load_demo(scale=0.05)) with the same rules as the matrix test; every write
names its effect (what changes for an allowed role and must not change for a refused one).
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from skills.models import (
    AssessmentSource,
    AssessmentStatus,
    Certification,
    Skill,
    SkillAssessment,
    SkillCategory,
)
from tests.world import uploaded_first

ICT = {"ict_staff", "ict_manager", "admin"}
MANAGERS = {"ict_manager", "admin"}
STAFF = "staff@example.com"


def pending_pk(world) -> int:
    """A pending self-assessment that neither the demo manager nor the demo admin made (they cannot validate
    their own), remembered for the test so the effect looks at the same row after it has been answered."""
    if "pending_pk" not in world:
        managers = [world["users"]["ict_manager"], world["users"]["admin"]]
        world["pending_pk"] = (
            SkillAssessment.objects.filter(
                status=AssessmentStatus.PENDING, source=AssessmentSource.SELF, staff__active=True
            )
            .exclude(staff__user__in=managers)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
    return world["pending_pk"]


def pending_status(world):
    return SkillAssessment.objects.values_list("status", flat=True).get(pk=pending_pk(world))


def assessments_of(email, skill):
    return lambda world: SkillAssessment.objects.filter(staff__user__email=email, skill__code=skill).count()


def skill_pk(code):
    return Skill.objects.values_list("pk", flat=True).get(code=code)


def self_assessment(world):
    return {"action": "assess", "assess-skill": skill_pk("DAT-VIZ"), "assess-level": "2"}


def manager_assessment(world):
    return {"mgr-skill": skill_pk("DAT-VIZ"), "mgr-level": "3", "mgr-reason": "matrix"}


def new_skill(world):
    category = SkillCategory.objects.order_by("pk").values_list("pk", flat=True)[0]
    return {
        "action": "skill",
        "skill-code": "MATRIX-NEW",
        "skill-name": "マトリクス",
        "skill-category": category,
    }


def assessments_csv() -> dict:
    content = f"email,skill,level,assessed_on\n{STAFF},OPS-TRAIN,3,2024-01-01\n".encode()
    return {"kind": "assessments", "file": SimpleUploadedFile("matrix.csv", content, "text/csv")}


SKILLS_URLS = {
    "skills:my_skills": {
        "allowed": ICT | {"hr"},
        # self-assessment: whoever has a profile of their own (the demo admin has none)
        "post": {
            "data": self_assessment,
            "effect": lambda w: SkillAssessment.objects.filter(skill__code="DAT-VIZ").count(),
            "allowed": {"ict_staff", "ict_manager"},
        },
    },
    "skills:staff_detail": {
        "kwargs": lambda w: {"pk": w["users"]["ict_staff"].staff_profile.pk},
        "allowed": ICT | {"hr"},
        "post": {"data": manager_assessment, "effect": assessments_of(STAFF, "DAT-VIZ"), "allowed": MANAGERS},
    },
    "skills:validation_queue": {"allowed": MANAGERS},
    "skills:validate": {
        "method": "post",
        "kwargs": lambda w: {"pk": pending_pk(w)},
        "effect": pending_status,
        "allowed": MANAGERS,
    },
    "skills:adjust": {
        "method": "post",
        "kwargs": lambda w: {"pk": pending_pk(w)},
        "data": {"level": "2", "reason": "matrix"},
        "effect": pending_status,
        "allowed": MANAGERS,
    },
    "skills:expert_search": {"allowed": ICT | {"hr"}, "query": "?skill_1=SEC-RISK&min_1=2&available_hours=8"},
    "skills:export": {"kwargs": lambda w: {"kind": "assessments"}, "allowed": MANAGERS | {"hr"}},
    "skills:import": {"allowed": {"admin"}},
    "skills:import_confirm": {
        "method": "post",
        "prepare": uploaded_first("skills:import", assessments_csv),
        "effect": assessments_of(STAFF, "OPS-TRAIN"),
        "allowed": {"admin"},
    },
    "skills:taxonomy": {
        "allowed": {"admin"},
        "post": {
            "data": new_skill,
            "effect": lambda w: Skill.objects.filter(code="MATRIX-NEW").exists(),
            "allowed": {"admin"},
        },
    },
    "skills:skill_retire": {
        "method": "post",
        "kwargs": lambda w: {"code": "OPS-TRAIN"},
        "data": {"confirm": "yes"},  # without it: the confirmation page
        "effect": lambda w: Skill.objects.get(code="OPS-TRAIN").active,
        "allowed": {"admin"},
    },
}
SKILLS_GRAPHQL = {
    "skills": {"query": "query { skills(first: 1) { totalCount } }", "allowed": ICT | {"hr"}},
    "skillCategories": {
        "query": "query { skillCategories(first: 1) { totalCount } }",
        "allowed": ICT | {"hr"},
    },
    "jobTypes": {"query": "query { jobTypes(first: 1) { totalCount } }", "allowed": ICT | {"hr"}},
    "staffProfiles": {
        "query": 'query { staffProfiles(first: 5, skills: [{skill: "SEC-RISK", minLevel: 1}]) { totalCount edges { node { email currentSkills { level } } } } }',
        "allowed": ICT | {"hr"},
    },
    "staffProfile": {
        "query": 'query { staffProfile(email: "staff@example.com") { email assessments { level } } }',
        "allowed": ICT | {"hr"},
    },
    "recordSkillAssessment": {
        "query": 'mutation { recordSkillAssessment(skill: "DAT-VIZ", level: 2, email: "staff@example.com", note: "matrix") { errors { code } } }',
        "effect": assessments_of(STAFF, "DAT-VIZ"),
        "allowed": {"ict_staff", "ict_manager", "admin"},
    },
    "validateSkillAssessment": {
        "query": 'mutation { validateSkillAssessment(email: "staff@example.com", skill: "SEC-RISK") { errors { code } } }',
        "effect": lambda w: SkillAssessment.objects.filter(
            staff__user__email=STAFF, skill__code="SEC-RISK", status=AssessmentStatus.PENDING
        ).count(),
        "allowed": MANAGERS,
    },
    "addCertification": {
        "query": 'mutation { addCertification(name: "ITパスポート", obtainedOn: "2024-04-01", email: "staff@example.com") { errors { code } } }',
        "effect": lambda w: Certification.objects.filter(staff__user__email=STAFF).count(),
        "allowed": {"ict_staff", "ict_manager", "admin"},
    },
}


def _open_session(world):
    """A session already started that the demo ICT staff member has not completed."""
    from core.fiscal import today
    from skills.training_models import TrainingSession

    staff = world["users"]["ict_staff"].staff_profile
    return (
        TrainingSession.objects.filter(starts_on__lte=today())
        .exclude(attendances__staff=staff, attendances__completed_on__isnull=False)
        .order_by("pk")
        .first()
    )


def _completions_of_ict_staff(world):
    from skills.training_models import TrainingAttendance

    return TrainingAttendance.objects.filter(
        staff=world["users"]["ict_staff"].staff_profile, completed_on__isnull=False
    ).count()


SKILLS_URLS |= {
    "skills:training_list": {"allowed": ICT | {"hr"}},
    "skills:training_complete": {
        "method": "post",
        "data": lambda w: {"session": _open_session(w).pk, "staff": w["users"]["ict_staff"].staff_profile.pk},
        "effect": _completions_of_ict_staff,
        "allowed": {"hr", "ict_manager", "admin"},
    },
}


SKILLS_GRAPHQL |= {
    "trainings": {"query": "query { trainings { code } }", "allowed": ICT | {"hr"}},
    "recordTrainingCompletion": {
        "query": 'mutation { recordTrainingCompletion(courseCode: "ict-officer", staffEmail: "staff@example.com") '
        "{ errors { code } } }",
        "effect": _completions_of_ict_staff,
        "allowed": {"hr", "ict_manager", "admin"},
    },
}
