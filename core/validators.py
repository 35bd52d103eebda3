"""Validators shared by every app.

`no_control_characters` guards single-line text that may reach a mail header (a request title is the subject of the
managers' mail): a newline there would make Django refuse the whole message as header injection, so the mail would
be lost. `single_line` is the defensive counterpart for text already stored: it folds any run of whitespace or
control characters into one space.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Line and paragraph separators split lines too (str.splitlines), so they count as control characters here.
_LINE_BREAKING = {"\u2028", "\u2029"}


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" or char in _LINE_BREAKING for char in value)


def no_control_characters(value) -> None:
    """Refuse line breaks, tabs and other control characters in a one-line text field."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(
            _("Use a single line without line breaks, tabs or other control characters."),
            code="control_characters",
        )


_WHITESPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def single_line(value: str) -> str:
    """`value` on one line: every run of whitespace or control characters becomes one space, ends trimmed."""
    return _WHITESPACE_OR_CONTROL.sub(" ", str(value)).strip()
