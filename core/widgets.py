"""Select widgets that write their options in Python: the same HTML as Django's templates, without one template
include per option. A filter bar offering every organisation (1,741 municipalities and more) spent most of a list
page's time rendering `<option>`s through django/forms/widgets/select_option.html; this writes them directly.

The markup is exactly Django's (select.html, select_option.html, attrs.html); tests/core/test_widgets.py compares
both renderings."""

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class _LeanOptions:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                parts.append(
                    f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"  # the option template's own line end
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every value above is escaped


class LeanSelect(_LeanOptions, forms.Select):
    pass


class LeanSelectMultiple(_LeanOptions, forms.SelectMultiple):
    pass


#: The plain Django widget → its lean twin (the same markup).
LEAN = {forms.Select: LeanSelect, forms.SelectMultiple: LeanSelectMultiple}
