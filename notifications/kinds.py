"""The registry of notification kinds: what a user may be told about, with a label for the preferences table and
whether it is *essential* (always delivered, by mail and in the inbox, whatever the user's preferences).

Apps register their kinds when they load (support registers `support.notifications.KINDS`, skills its certificate
reminder). `notifications.services.deliver` refuses a kind nobody registered.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class KindInfo:
    name: str
    label: str
    essential: bool
    #: Why an essential kind cannot be switched off (shown beside the disabled checkboxes).
    reason: str = ""


_REGISTRY: dict[str, KindInfo] = {}

ESSENTIAL_REASON = _("Always sent: you need it to act on your requests or duties.")


def register(name: str, *, label, essential: bool, reason=None) -> KindInfo:
    info = KindInfo(name, label, essential, (reason or ESSENTIAL_REASON) if essential else "")
    _REGISTRY[name] = info
    return info


def get(name: str) -> KindInfo:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown notification kind {name!r}") from None


def all_kinds() -> list[KindInfo]:
    """Every registered kind, in registration order."""
    return list(_REGISTRY.values())


def is_registered(name: str) -> bool:
    return name in _REGISTRY
