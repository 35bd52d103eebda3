"""A django-filter FilterSet whose form renders with Bootstrap 5 classes (the small size, for filter bars)."""

import django_filters

from core.forms import bootstrap_class
from core.widgets import LEAN


class BootstrapFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        if not getattr(form, "_bootstrap_styled", False):
            for field in form.fields.values():
                field.widget.attrs["class"] = bootstrap_class(field.widget, small=True)
                lean = LEAN.get(type(field.widget))
                if lean is not None:  # the same markup without a template per option (core.widgets)
                    field.widget.__class__ = lean
            form._bootstrap_styled = True
        return form
