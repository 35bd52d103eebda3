"""Spreadsheet safety: neutralise cells that a spreadsheet program would run as a formula (CSV/formula injection)."""

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """Prefix a text cell that starts like a formula with an apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(row) -> list[Any]:
    return [neutralise_cell(value) for value in row]


def neutralise_dataset(dataset):
    """Return a copy of a tablib Dataset with every text cell neutralised."""
    import tablib

    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append(neutralise_row(row))
    return safe
