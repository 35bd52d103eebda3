"""Rows for tests/test_access_matrix.py (the lead merges them: URLS.update(SKILLS_URLS); GRAPHQL.update(SKILLS_GRAPHQL)).

Checked against the tiny demo world (load_demo(scale=0.05)) with the same rules as the matrix test.
"""

ICT = {"ict_staff", "ict_manager", "admin"}
MANAGERS = {"ict_manager", "admin"}

SKILLS_URLS = {
    "skills:my_skills": {"allowed": ICT | {"hr"}},
    "skills:staff_detail": {
        "kwargs": lambda w: {"pk": w["users"]["ict_staff"].staff_profile.pk},
        "allowed": ICT | {"hr"},
    },
    "skills:validation_queue": {"allowed": MANAGERS},
    "skills:validate": {
        "method": "post",
        "skip": "consumes a pending assessment; covered in tests/skills/test_pages.py",
    },
    "skills:adjust": {
        "method": "post",
        "skip": "consumes a pending assessment; covered in tests/skills/test_pages.py",
    },
    "skills:expert_search": {"allowed": ICT | {"hr"}, "query": "?skill_1=SEC-RISK&min_1=2&available_hours=8"},
    "skills:export": {"kwargs": lambda w: {"kind": "assessments"}, "allowed": MANAGERS | {"hr"}},
    "skills:import": {"allowed": {"admin"}},
    "skills:import_confirm": {"method": "post", "allowed": {"admin"}},
    "skills:taxonomy": {"allowed": {"admin"}},
    "skills:skill_retire": {
        "method": "post",
        "kwargs": lambda w: {"code": "OPS-TRAIN"},
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
        "allowed": {"ict_staff", "ict_manager", "admin"},
    },
    "validateSkillAssessment": {
        "query": 'mutation { validateSkillAssessment(email: "staff@example.com", skill: "SEC-RISK") { errors { code } } }',
        "allowed": MANAGERS,
    },
    "addCertification": {
        "query": 'mutation { addCertification(name: "ITパスポート", obtainedOn: "2024-04-01", email: "staff@example.com") { errors { code } } }',
        "allowed": {"ict_staff", "ict_manager", "admin"},
    },
}
