from django import template

from notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/preferences_form.html", takes_context=True)
def notification_preferences(context):
    """The table of kinds × (mail, inbox) with checkboxes, for the profile page."""
    request = context["request"]
    return {"rows": selectors.preference_rows(request.user), "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """The signed-in user's unread notices, for the navigation badge: one COUNT on the (recipient, read_at) index,
    at most once per request (notifications.selectors.unread_count remembers it on the user)."""
    request = context.get("request")
    return selectors.unread_count(getattr(request, "user", None))
