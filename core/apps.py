from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        _cache_table_cell_signatures()
        from core import jobs_logging  # noqa: F401  (request id on Celery jobs, when Celery is installed)


def _cache_table_cell_signatures() -> None:
    """django-tables2 calls inspect.signature() on a column's render method for every cell it renders (about
    50 µs each: 50 ms for a 100-row page). The signature of a function never changes, so remember it."""
    from functools import lru_cache

    from django_tables2 import utils

    if getattr(utils.signature, "_dx_cached", False):
        return
    uncached = utils.signature

    @lru_cache(maxsize=1024)
    def by_function(function, bound: bool):
        args, keywords = uncached(function)
        return (args[1:] if bound and args else args), keywords

    def signature(fn):
        function = getattr(fn, "__func__", None)
        if function is None:
            return uncached(fn)
        return by_function(function, True)

    signature._dx_cached = True
    utils.signature = signature
