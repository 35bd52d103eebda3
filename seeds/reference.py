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


def _load_rows(name: str, kind_of) -> int:
    """Upsert one CSV of organisations (code, name, name_en, optional parent code); `kind_of(row, parent)` gives
    the kind. Parents are loaded by an earlier file or row."""
    created = 0
    for row in read_csv(name):
        parent = Organization.objects.get(code=row["parent"]) if row.get("parent") else None
        _org, was_created = organization_upsert(
            actor=None,
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "kind": kind_of(row, parent),
                "parent": parent,
            },
        )
        created += was_created
    return created


def load_organizations() -> dict[str, int]:
    """The metropolitan bureaus (and a few departments), Tokyo's 62 municipalities with their national codes, and
    the other organisations: more departments, a few municipal sections and the policy-linked bodies (政策連携団体,
    GovTech東京)."""
    created = _load_rows(
        "bureaus.csv", lambda row, parent: OrganizationKind.DEPARTMENT if parent else OrganizationKind.BUREAU
    )
    created += _load_rows("tokyo_municipalities.csv", lambda row, parent: MUNICIPAL_KINDS[row["kind"]])
    created += _load_rows("other_organizations.csv", lambda row, parent: OrganizationKind(row["kind"]))
    return {"organisations created": created}


# Each app adds its loader here (dotted paths, run in order).
REFERENCE_LOADERS = [
    "seeds.reference.load_roles",
    "seeds.reference.load_organizations",
    "seeds.reference_skills.load_skill_taxonomy",
    "seeds.reference_support.load_request_categories",
    "seeds.reference_support.load_category_skill_profiles",
    "seeds.reference_support.load_service_levels",
]


@transaction.atomic
def load_reference(stdout=None) -> dict[str, int]:
    from django.utils.module_loading import import_string

    summary: dict[str, int] = {}
    for dotted in REFERENCE_LOADERS:
        summary.update(import_string(dotted)())
    return summary
