"""Reference data: loaded idempotently (running it twice changes nothing)."""

import csv
from pathlib import Path

from django.db import transaction

from accounts.models import Organization, OrganizationKind
from accounts.roles import ensure_role_groups
from accounts.services import organization_upsert

DATA = Path(__file__).resolve().parent / "data"
MUNICIPAL_KINDS = {
    "ward": OrganizationKind.WARD,
    "city": OrganizationKind.CITY,
    "town": OrganizationKind.TOWN,
    "village": OrganizationKind.VILLAGE,
}


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_roles() -> dict[str, int]:
    created = ensure_role_groups()
    return {"role groups created": sum(created.values())}


def load_organizations() -> dict[str, int]:
    """The metropolitan bureaus (and a few departments) and Tokyo's 62 municipalities with their national codes."""
    created = 0
    for row in read_csv("bureaus.csv"):
        parent = Organization.objects.get(code=row["parent"]) if row["parent"] else None
        _org, was_created = organization_upsert(
            actor=None,
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "kind": OrganizationKind.DEPARTMENT if parent else OrganizationKind.BUREAU,
                "parent": parent,
            },
        )
        created += was_created
    for row in read_csv("tokyo_municipalities.csv"):
        _org, was_created = organization_upsert(
            actor=None,
            code=row["code"],
            defaults={"name": row["name"], "name_en": row["name_en"], "kind": MUNICIPAL_KINDS[row["kind"]]},
        )
        created += was_created
    return {"organisations created": created}


# Each app adds its loader here (dotted paths, run in order).
REFERENCE_LOADERS = [
    "seeds.reference.load_roles",
    "seeds.reference.load_organizations",
    "seeds.reference_skills.load_skill_taxonomy",
    "seeds.reference_support.load_request_categories",
    "seeds.reference_support.load_category_skill_profiles",
]


@transaction.atomic
def load_reference(stdout=None) -> dict[str, int]:
    from django.utils.module_loading import import_string

    summary: dict[str, int] = {}
    for dotted in REFERENCE_LOADERS:
        summary.update(import_string(dotted)())
    return summary
