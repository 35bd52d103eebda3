"""Demo watchers: a colleague of the demo requester (千代田区) watches DX-<current FY>-0001, so the request page and
the example GraphQL operations (addRequestWatcher, removeRequestWatcher) have someone to show, add and remove."""

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from core.fiscal import fiscal_year_of, today
from support.models import RequestWatcher, SupportRequest

COLLEAGUE = "demo-colleague-131016@example.com"


def add_demo_watchers(*, password: str, rng) -> dict[str, int]:
    requester = User.objects.filter(email="requester@example.com").first()
    request = SupportRequest.objects.filter(reference=f"DX-{fiscal_year_of(today())}-0001").first()
    if requester is None or request is None or request.organization_id != requester.organization_id:
        return {"watchers added": 0}
    colleague = User.objects.filter(email=COLLEAGUE).first() or user_create(
        actor=None,
        email=COLLEAGUE,
        password=None,
        display_name="千代田 次郎",
        organization=requester.organization,
        roles=(Role.REQUESTER,),
    )
    _watcher, created = RequestWatcher.objects.get_or_create(
        request=request, user=colleague, defaults={"added_by": requester}
    )
    return {"watchers added": int(created)}
