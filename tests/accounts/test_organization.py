import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organization, OrganizationKind
from accounts.services import organization_upsert
from accounts.validators import local_government_check_digit


def test_check_digit_of_chiyoda():
    assert local_government_check_digit("13101") == 6


@pytest.mark.django_db
def test_municipality_with_valid_code_is_saved():
    org, created = organization_upsert(
        actor=None, code="131016", defaults={"name": "千代田区", "kind": OrganizationKind.WARD}
    )
    assert created and org.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "error_code", "message_part"),
    [
        ("131017", "bad_check_digit", "検査数字"),
        ("13101", "wrong_length", "6桁"),
        ("1310166", "wrong_length", "6桁"),
        ("13A016", "not_digits", "数字のみ"),
    ],
)
def test_municipality_with_bad_code_is_refused_with_the_reason(code, error_code, message_part):
    with pytest.raises(ValidationError) as error:
        organization_upsert(actor=None, code=code, defaults={"name": "X", "kind": OrganizationKind.CITY})
    assert [e.code for e in error.value.error_dict["code"]] == [error_code]
    assert message_part in " ".join(error.value.message_dict["code"])
    assert not Organization.objects.filter(code=code).exists()


@pytest.mark.django_db
def test_bureaus_have_internal_codes_without_check_digit():
    org, _ = organization_upsert(actor=None, code="B-ZAIMU", defaults={"name": "財務局", "kind": "bureau"})
    assert org.code == "B-ZAIMU"


@pytest.mark.django_db
def test_department_needs_a_parent_bureau():
    with pytest.raises(ValidationError) as error:
        organization_upsert(actor=None, code="D-X", defaults={"name": "X課", "kind": "department"})
    assert "parent" in error.value.message_dict
