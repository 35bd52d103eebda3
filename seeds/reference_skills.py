"""Reference data of the digital skill map: categories, 40 skills (ja/en), the 1–5 scale, 11 job types with targets
(the seeds name プロジェクトマネージャー, ITコンサルタント, システムアーキテクト, UI/UXデザイナー, リードリクルーター and
セキュリティスペシャリスト as the posts of the デジタルシフト推進担当課長 recruited, and UI/UXデザイナー and
データサイエンティスト as ICT職 training tracks). Each job type says its `kind` (specialist or ICT officer), read by the demo pool.

Idempotent: running it again changes nothing (the services write only what differs).
"""

import json
from pathlib import Path

from skills import services
from skills.models import Skill

DATA = Path(__file__).resolve().parent / "data" / "skills.json"


def load_skill_taxonomy() -> dict[str, int]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    created = {"skills": 0, "job types": 0}
    for category_data in data["categories"]:
        category, _ = services.skill_category_upsert(
            actor=None,
            code=category_data["code"],
            defaults={
                "name": category_data["name"],
                "name_en": category_data["name_en"],
                "order": category_data["order"],
            },
        )
        for order, skill_data in enumerate(category_data["skills"], start=1):
            _skill, was_created = services.skill_upsert(
                actor=None,
                code=skill_data["code"],
                defaults={
                    "name": skill_data["name"],
                    "name_en": skill_data["name_en"],
                    "description": skill_data["description"],
                    "category": category,
                    "order": order,
                },
            )
            created["skills"] += was_created
    for level in data["levels"]:
        services.proficiency_level_upsert(
            actor=None,
            level=level["level"],
            defaults={key: level[key] for key in ("name", "name_en", "description", "description_en")},
        )
    skills = {skill.code: skill for skill in Skill.objects.all()}
    for item in data["skill_level_descriptions"]:
        services.skill_level_description_set(
            actor=None,
            skill=skills[item["skill"]],
            level=item["level"],
            description=item["description"],
            description_en=item["description_en"],
        )
    for job_data in data["job_types"]:
        job_type, was_created = services.job_type_upsert(
            actor=None,
            code=job_data["code"],
            defaults={"name": job_data["name"], "name_en": job_data["name_en"], "order": job_data["order"]},
        )
        created["job types"] += was_created
        for target in job_data["targets"]:
            services.target_skill_set(
                actor=None,
                job_type=job_type,
                skill=skills[target["skill"]],
                target_level=target["target_level"],
                importance=target["importance"],
            )
    return {"skills created": created["skills"], "job types created": created["job types"]}
