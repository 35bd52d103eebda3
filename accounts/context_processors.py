from accounts.roles import Role, roles_of


def roles(request):
    """`roles` (a set of role names) and `role_flags` for templates: what the navigation may show."""
    names = roles_of(getattr(request, "user", None))
    return {
        "roles": names,
        "role_flags": {
            "requester": Role.REQUESTER in names,
            "ict": bool(names & {Role.ICT_STAFF, Role.ICT_MANAGER, Role.ADMIN}),
            "manager": bool(names & {Role.ICT_MANAGER, Role.ADMIN}),
            "hr": bool(names & {Role.HR, Role.ADMIN}),
            "admin": Role.ADMIN in names,
        },
    }
