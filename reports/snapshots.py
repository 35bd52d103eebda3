"""A report's dataclasses to JSON and back, for the figures kept in ``reports.PeriodAggregate``.

``dump`` is ``dataclasses.asdict`` (dates and datetimes become ISO strings in the JSON field); ``load`` rebuilds the
dataclass from its own type hints, recursively: nested dataclasses, ``list[…]``, ``tuple[…]``, ``X | None``,
dates and datetimes. Properties are not stored: they are recomputed from the fields.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing


def dump(report, *, leave_out: tuple[str, ...] = ()) -> dict:
    data = dataclasses.asdict(report)
    for name in leave_out:
        data.pop(name, None)
    return data


@functools.cache
def _hints(cls) -> dict[str, typing.Any]:
    return typing.get_type_hints(cls)


def _value(kind, value):
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(kind) if option is not type(None)]
        return _value(options[0], value)
    if origin is list:
        (item,) = typing.get_args(kind)
        return [_value(item, element) for element in value]
    if origin is tuple:
        items = typing.get_args(kind)
        if len(items) == 2 and items[1] is Ellipsis:
            return tuple(_value(items[0], element) for element in value)
        return tuple(_value(item, element) for item, element in zip(items, value, strict=True))
    if dataclasses.is_dataclass(kind):
        return load(kind, value)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    return value


def load(cls, data: dict, **overrides):
    """An instance of the dataclass ``cls`` from ``dump``'s output; ``overrides`` set fields not stored."""
    hints = _hints(cls)
    fields = {
        field.name: _value(hints[field.name], data[field.name])
        for field in dataclasses.fields(cls)
        if field.init and field.name in data
    }
    return cls(**{**fields, **overrides})
