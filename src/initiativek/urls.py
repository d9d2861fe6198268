from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Initiative K – Verwaltung")
admin.site.site_title = _("Initiative K")
# The admin signs in through allauth: same throttling, e-mail verification and 2FA.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("initiativek.core.urls")),
    path("", include("initiativek.organizations.urls")),
    path("", include("initiativek.projects.urls")),
    path("", include("initiativek.events.urls")),
    path("", include("initiativek.opendata.urls")),
    path("erfahrungsaustausch/", include("initiativek.surveys.urls")),
    path("kooperation/", include("initiativek.cooperation.urls")),
    path("konto/", include("allauth.urls")),
    path("mein-bereich/", include("initiativek.accounts.urls")),
    path("api/", include("initiativek.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
