"""`localizedName` on every type with a Japanese `name` and an English `name_en` (core.names: one rule)."""

import graphene


def LocalizedNameField() -> graphene.String:  # noqa: N802 — reads like the graphene field it returns
    return graphene.String(
        required=True,
        description="The name in the request's language: nameEn when the request is in English (Accept-Language, "
        "the language cookie or the user's preference) and there is one, the Japanese name otherwise.",
    )
