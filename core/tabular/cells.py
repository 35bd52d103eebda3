"""Parsing one cell of an imported row. Each parser takes the raw cell (str, number, date or None) and returns the
value or raises ValidationError with a message for the reader; `RowReader.take` ties the error to its column."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from core.fiscal import TOKYO
from core.fiscal import today as local_today

DATE_PATTERNS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")
TRUE = {"1", "true", "yes", "y", "はい", "○", "有効"}
FALSE = {"0", "false", "no", "n", "いいえ", "×", "無効"}


def text(value) -> str:
    """A cell as stripped text ('' for empty; 3.0 from a spreadsheet becomes '3')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def blank(value) -> bool:
    return text(value) == ""


def lookup(table: dict, value, message, *, code: str = "unknown", param: str = "value", lower: bool = False):
    """The record a cell names in a table loaded once (people by e-mail, skills by code); else `message`."""
    key = text(value).lower() if lower else text(value)
    try:
        return table[key]
    except KeyError:
        raise ValidationError(message, code=code, params={param: key}) from None


def date(value, *, past: bool = False) -> dt.date | None:
    if isinstance(value, dt.datetime):
        parsed = value.date()
    elif isinstance(value, dt.date):
        parsed = value
    else:
        raw = text(value)
        if not raw:
            return None
        parsed = None
        for pattern in DATE_PATTERNS:
            try:
                parsed = dt.datetime.strptime(raw, pattern).date()
                break
            except ValueError:
                continue
        if parsed is None:
            raise ValidationError(
                _("Not a date (use YYYY-MM-DD): %(value)s"), code="invalid_date", params={"value": raw}
            )
    if past and parsed > local_today():
        raise ValidationError(_("The date cannot be in the future."), code="future_date")
    return parsed


def past_date(value) -> dt.date | None:
    return date(value, past=True)


def datetime(value) -> dt.datetime | None:
    """A date and time; without a time zone it is Tokyo time, and a date alone means 09:00."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time(9, 0))
    else:
        raw = text(value).replace("/", "-")
        if not raw:
            return None
        parsed = parse_datetime(raw)
        if parsed is None:
            try:
                parsed = dt.datetime.combine(dt.date.fromisoformat(raw), dt.time(9, 0))
            except ValueError:
                raise ValidationError(
                    _("Write times as YYYY-MM-DD HH:MM (Tokyo time)."), code="invalid_datetime"
                ) from None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=TOKYO)


def decimal(value) -> Decimal | None:
    raw = text(value)
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(_("Not a number."), code="invalid_number")
    return number


def whole_number(value, *, low: int, high: int, message) -> int | None:
    number = decimal(value) if not blank(value) else None
    if number is None:
        return None
    if number != number.to_integral_value() or not low <= number <= high:
        raise ValidationError(message, code="out_of_range")
    return int(number)


def boolean(value, *, default: bool = True) -> bool:
    raw = text(value).lower()
    if not raw:
        return default
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise ValidationError(_("Use 1 (yes) or 0 (no)."), code="invalid_boolean")


class Choice:
    """A parser for one set of choices: a cell matches a choice's code or its label (English or Japanese)."""

    def __init__(self, choices, *, default=None):
        self.choices = choices
        self.default = default

    @cached_property
    def lookup(self) -> dict[str, object]:
        found = {}
        for key, label in self.choices:
            found[str(key).casefold()] = key
            for language in ("en", "ja"):
                with translation.override(language):
                    found.setdefault(str(label).casefold(), key)
        return found

    def __call__(self, value):
        raw = text(value)
        if not raw:
            return self.default
        try:
            return self.lookup[raw.casefold()]
        except KeyError:
            raise ValidationError(
                _("“%(value)s” is not one of the allowed values."),
                code="invalid_choice",
                params={"value": raw},
            ) from None
