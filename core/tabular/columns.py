"""A file's columns: the English code (stable, used in code) and the header people see (Japanese in every file).

Exports write the Japanese header. Imports accept, for each column, its code, its Japanese header, its English
header and any alias, compared case-insensitively and after NFKC (so full-width letters and spaces match too).
"""

import unicodedata
from dataclasses import dataclass
from functools import cached_property

from django.utils import translation
from django.utils.functional import Promise

FILE_LANGUAGE = "ja"  # the language of the headers written into exported files


def header_key(text) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip().casefold()


@dataclass(frozen=True)
class Column:
    code: str
    label: Promise | str  # gettext_lazy: the header, translated
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        """The header written into files (Japanese)."""
        with translation.override(FILE_LANGUAGE):
            return str(self.label)

    def names(self) -> set[str]:
        names = {self.code, self.header, *self.aliases}
        with translation.override("en"):
            names.add(str(self.label))
        return {header_key(name) for name in names}


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
        """Japanese headers for an export's column codes."""
        return [self.by_code[code].header if code in self.by_code else code for code in codes]
