"""Paging long lists (national scale: 100,000 rows and more) at about the same cost at any page depth.

* The count stops at `COUNT_CAP` + 1 rows (one query reading no more than that): pages say "10,000+" beyond it.
* A page is read in two steps (`page_rows`): the keys of its rows — the offset then walks an index, not joined
  rows — and then those rows by key, with the queryset's joins and prefetches for them only.

`CappedCountPaginator` does both for django-tables2 tables (`RequestConfig(paginate={"paginator_class": …})`);
while the count is under the cap it pages like Django's Paginator (exact count, every page number).
"""

from __future__ import annotations

import math

from django.core.paginator import EmptyPage
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django_tables2.paginators import LazyPaginator
from django_tables2.rows import BoundRows

COUNT_CAP = 10_000


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> int:
    """The number of rows, but at most cap + 1 (one query: COUNT over a LIMIT cap + 1 subquery)."""
    return queryset.order_by().values("pk")[: cap + 1].count()


def page_rows(queryset: QuerySet, bottom: int, top: int) -> list:
    """Rows [bottom:top] of an ordered queryset: their keys first (the OFFSET walks the ordering's index only), then
    the rows by key with the queryset's select_related/prefetch_related (two queries plus the prefetches)."""
    keys = list(queryset.values_list("pk", flat=True)[bottom:top])
    if not keys:
        return []
    by_key = {row.pk: row for row in queryset.order_by().filter(pk__in=keys)}
    return [by_key[key] for key in keys if key in by_key]


class CappedCountPaginator(LazyPaginator):
    """A django-tables2 paginator with a capped count (`capped`: more rows than `cap`; `count` is then cap + 1) and
    pages read by `page_rows`. Beyond the cap it pages like LazyPaginator: one row more than the page is read to
    know whether a next page exists, and any page number may be asked for."""

    cap = COUNT_CAP

    def _queryset(self) -> QuerySet | None:
        data = self.object_list  # django-tables2: BoundRows → TableQuerysetData → QuerySet
        for _ in range(3):
            if isinstance(data, QuerySet):
                return data
            data = getattr(data, "data", None)
        return None

    @cached_property
    def count(self) -> int:
        queryset = self._queryset()
        return capped_count(queryset, self.cap) if queryset is not None else len(self.object_list)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def shown_count(self) -> int:
        """The count to show: exact, or the cap when `capped` (then shown as "cap+")."""
        return min(self.count, self.cap)

    def _get_num_pages(self) -> int:
        if self.capped:
            return max(math.ceil(self.cap / self.per_page), self._num_pages or 0)
        if not self.count and not self.allow_empty_first_page:
            return 0
        return max(1, math.ceil(max(1, self.count - self.orphans) / self.per_page))

    num_pages = property(_get_num_pages)

    def validate_number(self, number):
        number = super().validate_number(number)  # an integer ≥ 1
        if not self.capped and number > self.num_pages:
            if number == 1 and self.allow_empty_first_page:
                return number
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def _rows(self, bottom: int, top: int):
        queryset = self._queryset()
        if queryset is None:
            return self.object_list[bottom:top]
        rows = page_rows(queryset, bottom, top)
        if isinstance(self.object_list, BoundRows):
            return BoundRows(rows, table=self.object_list.table, pinned_data=self.object_list.pinned_data)
        return rows

    def page(self, number):
        number = self.validate_number(number or 1)
        bottom = (number - 1) * self.per_page
        if not self.capped:
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            self._final_num_pages = self.num_pages
            return self._get_page(self._rows(bottom, top), number, self)
        rows = self._rows(bottom, bottom + self.per_page + 1)  # one more: is there a next page?
        if len(rows) > self.per_page:
            self._num_pages = number + 1
            rows = rows[: self.per_page]
        elif number > 1 and not len(rows):
            raise EmptyPage(self.error_messages["no_results"])
        else:
            self._num_pages = self._final_num_pages = number
        return self._get_page(rows, number, self)
