"""Confirmation before a destructive action (withdraw, release, apply a whole plan, retire): the page states what
will happen, and the POST takes effect only with `confirm=yes`.

Without it the view answers with a confirmation page (nothing changed) that re-posts the same fields plus the
confirmation — so it works without JavaScript, and a forged or hurried POST never acts unconfirmed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.shortcuts import render

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


def is_confirmed(request) -> bool:
    """The user saw what will happen and confirmed it (the confirmation page's button, or the form's checkbox)."""
    return request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirm_page(
    request,
    *,
    title: str,
    consequences: Iterable[str],
    button: str,
    cancel_url: str,
    action: str | None = None,
):
    """The page that asks: the consequences as a list, the same POST again with `confirm=yes`, or go back."""
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "consequences": list(consequences),
            "button": button,
            "cancel_url": cancel_url,
            "action": action or request.get_full_path(),
            "fields": fields,
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
        },
    )
