"""The lean select widgets (core.widgets) write exactly the HTML of Django's templates: groups, selected options,
True/False/text attributes, characters to escape, safe labels; and the filter bars use them."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from core.widgets import LeanSelect, LeanSelectMultiple

CHOICES = [
    ("", "---------"),
    ("a&b", 'A <b> "quoted"'),
    ("safe", mark_safe("<i>safe</i>")),
    ("Group <1>", [(1, "one"), (2, "two")]),
    (3, "three"),
]


@pytest.mark.parametrize(
    ("plain", "lean", "value"),
    [
        (forms.Select, LeanSelect, "a&b"),
        (forms.Select, LeanSelect, 2),
        (forms.Select, LeanSelect, None),
        (forms.SelectMultiple, LeanSelectMultiple, ["safe", 1, 3]),
    ],
)
def test_lean_selects_write_djangos_markup(plain, lean, value):
    attrs = {
        "class": "form-select form-select-sm",
        "size": 4,
        "disabled": False,
        "required": True,
        "data-x": 'a"b',
    }
    expected = plain(attrs=attrs, choices=CHOICES).render("field<", value, attrs={"id": "id_f"})
    assert lean(attrs=attrs, choices=CHOICES).render("field<", value, attrs={"id": "id_f"}) == expected
    assert "selected" in expected or value is None


@pytest.mark.django_db
def test_the_request_filter_bar_renders_its_selects_lean_and_alike(ict_manager):
    from support.filters import RequestFilter
    from support.selectors import request_list_for

    form = RequestFilter(
        {"status": ["submitted"]}, queryset=request_list_for(ict_manager), user=ict_manager
    ).form
    selects = {
        name: field.widget for name, field in form.fields.items() if isinstance(field.widget, forms.Select)
    }
    assert selects and all(isinstance(widget, LeanSelect | LeanSelectMultiple) for widget in selects.values())
    for name, widget in selects.items():
        plain = forms.SelectMultiple if isinstance(widget, forms.SelectMultiple) else forms.Select
        twin = plain(attrs=widget.attrs, choices=widget.choices)
        assert widget.render(name, form[name].value()) == twin.render(name, form[name].value()), name
