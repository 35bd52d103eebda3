from accounts.roles import roles_of
from core.policies import UserAnswers


def roles(request):
    """`roles` (the role names, for the badges on the home page) and `can`: the policies' answers the navigation,
    the home page and the page buttons ask (`can.submit_request` …), registered by each app in its AppConfig and
    each computed at most once per request."""
    user = getattr(request, "user", None)
    return {"roles": roles_of(user), "can": UserAnswers(user)}
