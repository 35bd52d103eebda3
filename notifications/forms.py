from notifications import kinds


def preferences_from_post(data) -> dict[str, tuple[bool, bool]]:
    """The preferences table as posted: for every registered kind, (email, in_app) from its two checkboxes
    (`email:<kind>`, `in_app:<kind>`; an unticked checkbox is absent). Essential kinds are shown ticked and
    disabled, are not posted, and are left out here (they cannot be switched off)."""
    return {
        info.name: (f"email:{info.name}" in data, f"in_app:{info.name}" in data)
        for info in kinds.all_kinds()
        if not info.essential
    }
