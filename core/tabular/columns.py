"""A file's columns: the English code (stable, used in code) and the header people see, in the reader's language.

Exports write the header (and a choice column's labels) in the active language — Japanese unless the user chose
English. Imports accept, for each column, its code, its Japanese header, its English header and any alias, compared
case-insensitively and after NFKC (so full-width letters and spaces match too); a choice cell may hold the code or
the label in either language (core.tabular.cells.Choice).
"""

import unicodedata
from dataclasses import dataclass
from functools import cached_property

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: a yes/no column written as 「はい」/「いいえ」 (Yes/No); an import reads these, 1/0, true/false … (cells.boolean)
YES_NO = ((1, _("Yes")), (0, _("No")))


def header_key(text) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().casefold()


@dataclass(frozen=True)
class Column:
    code: str
    label: Promise | str  # gettext_lazy: the header, translated
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple = ()  # (code, label) pairs: an export writes the label of the code

    @property
    def header(self) -> str:
        """The header written into files, in the active language."""
        return str(self.label)

    def names(self) -> set[str]:
        names = {self.code, *self.aliases}
        for language in ("ja", "en"):
            with translation.override(language):
                names.add(str(self.label))
        return {header_key(name) for name in names}

    def display(self, value):
        """A cell as written into a file: a choice's label (active language) instead of its code."""
        for code, label in self.choices:
            if value == code or (value not in (None, "") and str(value) == str(code)):
                return str(label)
        return value


class Columns:
    """The ordered columns of one kind of file."""

    def __init__(self, *columns: Column):
        self.columns = columns
        self.by_code = {column.code: column for column in columns}

    def __iter__(self):
        return iter(self.columns)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(column.code for column in self.columns)

    @cached_property
    def _lookup(self) -> dict[str, str]:
        return {name: column.code for column in self.columns for name in column.names()}

    def code_for(self, header) -> str:
        """The column code a file's header means; an unknown header is kept (normalised) and then ignored."""
        key = header_key(header)
        return self._lookup.get(key, key)

    def normalise(self, headers) -> list[str]:
        return [self.code_for(header) for header in headers or ()]

    def missing(self, codes) -> list[Column]:
        present = set(codes)
        return [column for column in self.columns if column.required and column.code not in present]

    def duplicated(self, codes) -> list[Column]:
        """Columns the file gives more than once (under any of their names): which one holds the data is unclear."""
        codes = list(codes)
        return [column for column in self.columns if codes.count(column.code) > 1]

    def label(self, code: str) -> str:
        """The header in the reader's language, for the import report ('' for a row-level error)."""
        column = self.by_code.get(code)
        return str(column.label) if column else code

    def headers(self, codes) -> list[str]:
        """Headers (active language) for an export's column codes."""
        return [self.by_code[code].header if code in self.by_code else code for code in codes]

    def display_row(self, codes, row) -> list:
        """One exported row with every choice code written as its label."""
        return [
            self.by_code[code].display(value) if code in self.by_code else value
            for code, value in zip(codes, row, strict=False)
        ]
