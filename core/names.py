"""Names in the reader's language: a skill, skill category, job type, request category or organisation has a
Japanese `name` and an optional `name_en`. In English the English name shows (when there is one) — on pages, in
tables, filters, forms' choices, exports and GraphQL's `localizedName`; in Japanese always the Japanese name.

One rule, one place: `localized_name(name, name_en)`, used by the models' `LocalizedName` mixin (its
`localized_name` property, which the models' `__str__` returns), so `{{ skill }}` and `str(skill)` already speak the reader's language.
"""

from django.utils import translation


def english_active() -> bool:
    return (translation.get_language() or "").split("-")[0] == "en"


def localized_name(name: str, name_en: str = "") -> str:
    """The English name when the active language is English and there is one; the Japanese name otherwise."""
    return name_en if name_en and english_active() else name


class LocalizedName:
    """Mixin for a model with `name` and `name_en`: `localized_name` in the reader's language (the models' `__str__`
    returns it)."""

    @property
    def localized_name(self) -> str:
        return localized_name(self.name, getattr(self, "name_en", ""))


def names_by_code(model, codes) -> dict[str, str]:
    """{code: name in the reader's language} of the `model` rows with these codes — for figures stored with the
    names of the language they were computed in. One query; none when there is no code."""
    codes = {code for code in codes if code}
    if not codes:
        return {}
    rows = model.objects.filter(code__in=codes).order_by().values_list("code", "name", "name_en")
    return {code: localized_name(name, name_en) for code, name, name_en in rows}
