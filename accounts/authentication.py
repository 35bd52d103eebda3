"""Bearer-token authentication: `Authorization: Bearer dxd_…` on the GraphQL endpoint.

An authentication backend, so the API view asks Django (`django.contrib.auth.authenticate(request,
bearer_token=…)`) and knows nothing of accounts. The view marks only token-authenticated requests CSRF-exempt;
a session request keeps its CSRF check. The backend never logs anyone in: there is no session to restore.
"""

from django.contrib.auth.backends import BaseBackend

from accounts.tokens import authenticate_bearer


class BearerTokenBackend(BaseBackend):
    def authenticate(self, request, bearer_token: str | None = None, **_credentials):
        """The active owner of a valid, unrevoked token, or None (other credentials are other backends')."""
        if not bearer_token:
            return None
        return authenticate_bearer(bearer_token)
