"""The national local-government code (全国地方公共団体コード): 5 digits and a check digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (6, 5, 4, 3, 2)


def local_government_check_digit(first_five: str) -> int:
    """The check digit: the ones digit of 11 minus (the weighted sum of the first five digits mod 11)."""
    total = sum(int(digit) * weight for digit, weight in zip(first_five, WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def validate_local_government_code(value: str) -> None:
    if not (isinstance(value, str) and value.isascii() and value.isdigit()):
        raise ValidationError(
            _("A local-government code consists of digits only (for example 131016)."), code="not_digits"
        )
    if len(value) != 6:
        raise ValidationError(
            _("A local-government code has 6 digits; %(value)s has %(length)d."),
            code="wrong_length",
            params={"value": value, "length": len(value)},
        )
    expected = local_government_check_digit(value[:5])
    if int(value[5]) != expected:
        raise ValidationError(
            _("The check digit of %(value)s is wrong: the last digit should be %(expected)d."),
            code="bad_check_digit",
            params={"value": value, "expected": expected},
        )
