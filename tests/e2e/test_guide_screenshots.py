"""The screenshots of the user guides (docs/guides/img/), taken on the small demo world in Japanese.

Run with `make guide-screenshots` (GUIDE_SCREENSHOTS=1); skipped otherwise, so `make test` never rewrites the
committed images. Each PNG is the 1280×800 viewport, reduced to a 256-colour palette (a few tens of KB each)."""

import os
from pathlib import Path

import pytest

from tests.e2e.helpers import ja, main

IMG = Path(__file__).resolve().parents[2] / "docs" / "guides" / "img"

pytestmark = pytest.mark.skipif(
    os.environ.get("GUIDE_SCREENSHOTS") != "1",
    reason="guide screenshots are taken by `make guide-screenshots`",
)


def shoot(page, name: str) -> Path:
    from PIL import Image

    IMG.mkdir(parents=True, exist_ok=True)
    path = IMG / f"{name}.png"
    page.screenshot(path=str(path))
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    return path


def test_guide_screenshots(world, browse):
    from support.models import SupportRequest

    submitted = SupportRequest.objects.filter(status="submitted").order_by("-submitted_at").first()
    triaged = SupportRequest.objects.filter(status="triaged").order_by("-submitted_at").first()
    own = SupportRequest.objects.filter(requester=world["requester"]).order_by("-submitted_at").first()
    assigned = (
        SupportRequest.objects.filter(assignments__staff__user=world["ict_staff"], status="in_progress")
        .order_by("-submitted_at")
        .first()
    )
    taken = []

    requester = browse.new_page(world["requester"])
    for path, name in [("/", "requester-home"), ("/requests/new/", "requester-new-request")]:
        requester.goto(path)
        taken.append(shoot(requester, name))
    requester.goto(f"/requests/{own.reference}/")
    taken.append(shoot(requester, "requester-request-detail"))

    staff = browse.new_page(world["ict_staff"])
    staff.goto("/staffing/mine/")
    taken.append(shoot(staff, "staff-my-assignments"))
    if assigned:
        staff.goto(f"/requests/{assigned.reference}/")
        staff.get_by_role("heading", name=ja("Change status")).scroll_into_view_if_needed()
        taken.append(shoot(staff, "staff-request-work"))
    staff.goto("/skills/")
    taken.append(shoot(staff, "staff-my-skills"))

    manager = browse.new_page(world["ict_manager"])
    for path, name in [
        ("/requests/triage/", "manager-triage-queue"),
        (f"/requests/{submitted.reference}/triage/", "manager-triage-form"),
        ("/skills/validation/", "manager-validation-queue"),
        ("/reports/", "manager-dashboard"),
    ]:
        manager.goto(path)
        taken.append(shoot(manager, name))
    manager.goto(f"/staffing/requests/{triaged.reference}/candidates/")
    manager.get_by_role("link", name=ja("Propose a team"), exact=True).click()
    manager.locator("#team-result").wait_for()
    taken.append(shoot(manager, "manager-candidates"))

    hr = browse.new_page(world["hr"])
    hr.goto("/reports/skills/")
    taken.append(shoot(hr, "hr-skill-coverage"))
    hr.goto("/skills/experts/")
    taken.append(shoot(hr, "hr-expert-search"))

    admin = browse.new_page(world["admin"])
    admin.goto("/requests/import/")
    taken.append(shoot(admin, "admin-import"))
    admin.goto("/")
    taken.append(shoot(admin, "admin-home"))

    assert main(admin).count() == 1
    total = sum(path.stat().st_size for path in IMG.glob("*.png"))
    assert total < 5 * 1024 * 1024, f"the guide images weigh {total} bytes"
    print("\n".join(f"{p.name}: {p.stat().st_size // 1024} KB" for p in taken))
