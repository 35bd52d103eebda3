"""Demo accounts, one per role, all with the password in DEMO_PASSWORD (default demo-pass-2025)."""

from accounts.models import Organization, User
from accounts.roles import Role
from accounts.services import user_create

DEMO_ACCOUNTS = (
    # email, display name, organisation code, roles
    ("requester@example.com", "千代田 花子", "131016", (Role.REQUESTER,)),
    ("staff@example.com", "情報 太郎", "D-DIGITAL-MUNI", (Role.ICT_STAFF,)),
    ("manager@example.com", "管理 一郎", "D-DIGITAL-MUNI", (Role.ICT_STAFF, Role.ICT_MANAGER)),
    ("hr@example.com", "人事 みどり", "B-SOMU", (Role.HR,)),
    ("admin@example.com", "システム 管理者", "B-DIGITAL", (Role.ADMIN,)),
)


def create_demo_accounts(*, password: str, rng) -> dict[str, int]:
    created = 0
    for email, name, org_code, roles in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user_create(
                actor=None,
                email=email,
                password=password,
                display_name=name,
                organization=Organization.objects.get(code=org_code),
                roles=roles,
            )
            created += 1
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
    return {"demo accounts created": created}
