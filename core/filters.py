"""A django-filter FilterSet whose form renders with Bootstrap 5 classes (the small size, for filter bars)."""

import django_filters

from core.forms import bootstrap_class


class BootstrapFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        if not getattr(form, "_bootstrap_styled", False):
            for field in form.fields.values():
                field.widget.attrs["class"] = bootstrap_class(field.widget, small=True)
            form._bootstrap_styled = True
        return form
