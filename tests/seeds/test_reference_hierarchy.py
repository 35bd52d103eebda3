"""The reference organisations carry the hierarchy: departments under bureaus, sections under municipalities, and
GovTech東京 as a policy-linked body (政策連携団体) at the top; loading twice changes nothing."""

from accounts.models import Organization, OrganizationKind
from seeds.reference import load_organizations


def test_hierarchy_and_kinds(db):
    load_organizations()
    govtech = Organization.objects.get(code="P-GOVTECH")
    assert (govtech.name, govtech.kind, govtech.parent) == ("GovTech東京", OrganizationKind.POLICY_BODY, None)
    fukushi = Organization.objects.get(code="B-FUKUSHI")
    assert {"福祉局 企画部", "福祉局 生活福祉部"} <= set(fukushi.children.values_list("name", flat=True))
    section = Organization.objects.get(code="S-131016-JOHO")
    assert (section.kind, section.parent.code) == (OrganizationKind.MUNICIPAL_SECTION, "131016")
    for department in Organization.objects.filter(kind=OrganizationKind.DEPARTMENT).select_related("parent"):
        assert department.parent.kind == OrganizationKind.BUREAU
    assert load_organizations() == {"organisations created": 0}
