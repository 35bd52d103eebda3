"""Single sign-on with OpenID Connect (allauth's `openid_connect` provider, configured by OIDC_PROVIDERS).

The adapter decides, from the claims of the provider's answer, whether the sign-in may go on:
* the ID token's issuer is one the provider's settings allow (`issuers`), and its tenant claim (`tenant_claim`,
  `tid` for Entra ID) one of `tenants` when those are set;
* the organisation claim names an active Organization by its code (local-government code or bureau code);
* a first sign-in creates the user just in time in that organisation, with the roles the role claim maps
  (`role_map`, known role names only) or the requester role; later sign-ins follow the organisation claim;
* an e-mail never links an existing account unless the provider marks it verified AND its domain is one of the
  provider's `email_domains`.
Every refusal is a page with a clear message and an `auth.sso_refused` audit event; no user is created.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import security
from accounts.models import Organization
from accounts.roles import Role


def claims_of(sociallogin) -> dict:
    """The ID token's claims, completed by the userinfo answer (`iss` always from the ID token)."""
    extra = sociallogin.account.extra_data or {}
    id_token = extra.get("id_token") or {}
    claims = {**id_token, **(extra.get("userinfo") or {})}
    if not id_token and not claims:
        claims = dict(extra)
    claims["iss"] = id_token.get("iss", claims.get("iss"))
    return claims


def _values(claim) -> list[str]:
    if claim is None:
        return []
    if isinstance(claim, (list, tuple)):
        return [str(item) for item in claim]
    return [str(claim)]


def roles_from_claims(claims: dict, config: dict) -> set[str]:
    """The roles the role claim maps to (`role_map`: claim value → role name; unknown role names are ignored),
    or the requester role when none maps."""
    role_map = config.get("role_map") or {}
    claim = config.get("role_claim")
    roles = {role_map.get(value) for value in _values(claims.get(claim))} if claim else set()
    roles = {role for role in roles if role in Role.ALL}
    return roles or {Role.REQUESTER}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def _refuse(self, request, sociallogin, reason: str, message: str):
        provider = sociallogin.account.provider
        security.sso_refused(provider=provider, reason=reason, claims=claims_of(sociallogin))
        response = render(request, "account/sso_refused.html", {"message": message}, status=403)
        raise ImmediateHttpResponse(response)

    def pre_social_login(self, request, sociallogin) -> None:
        config = sociallogin.account.get_provider().app.settings or {}
        claims = claims_of(sociallogin)
        provider = sociallogin.account.provider
        issuers = [issuer.rstrip("/") for issuer in config.get("issuers", [])]
        if not issuers or str(claims.get("iss") or "").rstrip("/") not in issuers:
            self._refuse(
                request,
                sociallogin,
                "issuer",
                _("This identity provider is not the one configured for this system. Sign-in was refused."),
            )
        tenants = [str(tenant) for tenant in config.get("tenants", [])]
        if tenants and str(claims.get(config.get("tenant_claim") or "tid")) not in tenants:
            self._refuse(
                request,
                sociallogin,
                "tenant",
                _("Your organisation's directory (tenant) is not allowed to sign in to this system."),
            )
        code = claims.get(config.get("organization_claim") or "organization_code")
        organization = (
            Organization.objects.filter(code=str(code), active=True).first()
            if code not in (None, "")
            else None
        )
        if organization is None:
            self._refuse(
                request,
                sociallogin,
                "organization",
                _(
                    "The organisation code “%(code)s” sent by your identity provider is not registered in this "
                    "system. Ask the administrators of the digital bureau to register your organisation."
                )
                % {"code": code or ""},
            )
        roles = roles_from_claims(claims, config)
        request._dx_sso = {"organization": organization, "roles": roles, "provider": provider}
        if sociallogin.is_existing:
            security.sso_claims_applied(
                user=sociallogin.user, organization=organization, roles=roles, provider=provider
            )
            return
        self._link_or_refuse(request, sociallogin, claims, config)

    def _link_or_refuse(self, request, sociallogin, claims: dict, config: dict) -> None:
        email = str(claims.get("email") or "").strip().lower()
        if not email:
            self._refuse(
                request,
                sociallogin,
                "email",
                _("Your identity provider did not send an e-mail address. Sign-in was refused."),
            )
        existing = get_user_model().objects.filter(email__iexact=email).first()
        if existing is None:
            return  # a first sign-in: the user is created just in time (save_user)
        verified = any(
            address.verified and address.email.lower() == email for address in sociallogin.email_addresses
        )
        domain_allowed = email.rsplit("@", 1)[-1] in config.get("email_domains", [])
        if not (verified and domain_allowed):
            self._refuse(
                request,
                sociallogin,
                "email_not_trusted",
                _(
                    "An account with this e-mail address already exists, and your identity provider's answer "
                    "cannot prove it is yours. Ask the administrators to link your organisation's account."
                ),
            )
        sociallogin.connect(request, existing)
        security.sso_account_linked(user=existing, provider=sociallogin.account.provider)
        context = request._dx_sso
        security.sso_claims_applied(
            user=existing,
            organization=context["organization"],
            roles=context["roles"],
            provider=context["provider"],
        )

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return True  # the claims were checked in pre_social_login

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.email = (user.email or "").lower()
        user.display_name = (data.get("name") or "")[:128]
        return user

    def save_user(self, request, sociallogin, form=None):
        context = request._dx_sso
        sociallogin.user.organization = context["organization"]
        user = super().save_user(request, sociallogin, form)
        security.sso_user_created(
            user=user,
            organization=context["organization"],
            roles=context["roles"],
            provider=context["provider"],
        )
        return user
