from django.urls import path

from . import views, views_privacy

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profil/", views.profile, name="profile"),
    path("profil/api-schluessel/", views.api_token_create, name="api-token-create"),
    path(
        "profil/api-schluessel/<int:pk>/widerrufen/",
        views.api_token_revoke,
        name="api-token-revoke",
    ),
    path("benachrichtigungen/", views.notifications, name="notifications"),
    path(
        "benachrichtigungen/einstellungen/",
        views.notification_settings,
        name="notification-settings",
    ),
    path("benachrichtigungen/<int:pk>/", views.notification_open, name="notification-open"),
    path("daten/", views_privacy.data, name="data"),
    path("daten/export/", views_privacy.data_export, name="data-export"),
    path(
        "daten/einwilligungen/<int:pk>/widerrufen/",
        views_privacy.consent_withdraw,
        name="consent-withdraw",
    ),
    path("daten/konto-loeschen/", views_privacy.account_delete, name="account-delete"),
]
