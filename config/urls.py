from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import health
from core.api.view import DXGraphQLView
from reports.views_home import home

admin.site.site_header = _("DX Support Desk administration")
admin.site.site_title = _("DX Support Desk")
admin.site.index_title = _("Administration")
# The admin signs in through allauth's sign-in (SSO, MFA, lockouts, audit), never its own password form.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home, name="home"),
    # Probes (answered first by core.health.HealthCheckMiddleware; the routes name them for reverse() and docs).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("graphql/", DXGraphQLView.as_view(), name="graphql"),
    path("skills/", include("skills.urls")),
    path("requests/", include("support.urls")),
    path("staffing/", include("staffing.urls")),
    path("reports/", include("reports.urls")),
    path("jobs/", include("core.urls")),
    path("knowhow/", include("knowhow.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
