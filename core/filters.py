"""A django-filter FilterSet whose form renders with Bootstrap 5 classes."""

import django_filters
from django import forms


class BootstrapFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        if not getattr(form, "_bootstrap_styled", False):
            for field in form.fields.values():
                widget = field.widget
                if isinstance(widget, forms.CheckboxInput):
                    css = "form-check-input"
                elif isinstance(widget, forms.Select | forms.SelectMultiple):
                    css = "form-select form-select-sm"
                else:
                    css = "form-control form-control-sm"
                widget.attrs["class"] = css
            form._bootstrap_styled = True
        return form
