"""Who files the demo requests: a demo requester per organisation, and the share of requests that come from the
departments and sections below the bureaus and municipalities, and from the policy-linked bodies (GovTech東京 …).

Requests come from bureaus and departments (bureau pillar) and municipalities (municipal pillar), a demo requester per
organisation (without a usable password). The demo requester of an organisation with departments or sections
(福祉局 …) oversees them (`sees_suborganizations`). seeds/demo/support.py calls :func:`requesters` and
:func:`spread_to_other_organizations`.
"""

import random

from accounts.models import Organization, OrganizationKind, User
from accounts.roles import Role
from accounts.services import user_create
from seeds.demo import figures
from seeds.reference import read_csv


def _demo_requester(organization: Organization, existing: dict, parents: set[int]) -> User:
    email = f"demo-req-{organization.code.lower()}@example.com"
    return existing.get(email) or user_create(
        actor=None,
        email=email,
        password=None,
        display_name=f"{organization.name} 担当",
        organization=organization,
        roles=(Role.REQUESTER,),
        sees_suborganizations=organization.pk in parents,
    )


def requesters(rng, scale) -> tuple[dict[str, list[tuple[Organization, User]]], dict, User | None]:
    """pillar → (organisation, demo requester) pairs: every bureau and department of bureaus.csv but the ICT side's
    own (bureau pillar), and a sample of municipalities that grows with the scale (municipal pillar); and the
    organisations of other_organizations.csv (more departments, municipal sections, policy-linked bodies) by parent
    id (None: the policy-linked bodies), which `spread_to_other_organizations` gives a share of the requests.
    The demo requester of an organisation with organisations below it oversees them (`sees_suborganizations`)."""
    others = {row["code"] for row in read_csv("other_organizations.csv")}
    every = list(Organization.objects.filter(active=True).order_by("code"))
    organizations = [
        o
        for o in every
        if not o.code.startswith("D-DIGITAL") and o.code != "B-DIGITAL" and o.code not in others
    ]
    municipal = [o for o in organizations if o.kind in OrganizationKind.municipal()]
    bureaus = [o for o in organizations if o not in municipal]
    chosen = {
        figures.BUREAU: bureaus,
        figures.MUNICIPAL: rng.sample(municipal, min(len(municipal), max(4, round(40 * scale)))),
    }
    parents = {o.parent_id for o in every if o.parent_id}
    existing = {u.email: u for u in User.objects.filter(email__startswith="demo-req-")}
    pairs = {
        pillar: [(o, _demo_requester(o, existing, parents)) for o in members]
        for pillar, members in chosen.items()
    }
    below: dict[int | None, list] = {}
    for organization in every:
        if organization.code in others:
            below.setdefault(organization.parent_id, []).append(
                (organization, _demo_requester(organization, existing, parents))
            )
    demo = User.objects.filter(email="requester@example.com").select_related("organization").first()
    return pairs, below, demo


#: The share of an organisation's requests filed by one of the organisations below it, and of the bureau pillar's
#: filed by a policy-linked body (GovTech東京 …).
SHARE_BELOW, SHARE_POLICY_BODIES = 0.35, 0.03


def spread_to_other_organizations(plans: list[dict], below: dict, rng) -> None:
    """Some requests come from departments, sections and policy-linked bodies. Drawn from a stream of its own, so
    that adding reference organisations does not reshuffle the rest of the demo."""
    # Seeded from the main stream's state (its integers: the hash of None, also in the state, changes from process
    # to process on Python 3.11, which made the demo differ between runs).
    own = random.Random(hash(rng.getstate()[1]))
    bodies = below.get(None, [])
    for plan in plans:
        roll = own.random()
        children = below.get(plan["org"].pk)
        if children and roll < SHARE_BELOW:
            plan["org"], plan["user"] = own.choice(children)
        elif bodies and plan["pillar"] == figures.BUREAU and roll > 1 - SHARE_POLICY_BODIES:
            plan["org"], plan["user"] = own.choice(bodies)
