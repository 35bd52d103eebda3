"""Japanese labels for the browser tests, taken from the same catalogues the pages use (so a reworded translation
does not break a selector), and small page helpers."""

import re

from django.utils import translation


def ja(text: str) -> str:
    """The Japanese the page shows for an English message id."""
    with translation.override("ja"):
        return str(translation.gettext(text))


def field_label(form_class, name: str, **kwargs) -> str:
    """The Japanese label of a form field (as the page's <label> shows it)."""
    with translation.override("ja"):
        return str(form_class(**kwargs).fields[name].label)


def exact(text: str) -> re.Pattern:
    """A pattern matching an accessible name that starts with `text` (labels of required fields end in ' *')."""
    return re.compile(r"^\s*" + re.escape(text) + r"(\s*\*)?\s*$")


def main(page):
    """The page's main landmark (keeps selectors away from the navigation's links of the same name)."""
    return page.get_by_role("main")


def card_value(page, title: str) -> str:
    """The figure of a dashboard card, found by its title."""
    card = page.locator(".card-body").filter(has=page.get_by_text(title, exact=True)).first
    return card.locator(".fs-3").inner_text().strip()
