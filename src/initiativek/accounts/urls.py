from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profil/", views.profile, name="profile"),
    path("benachrichtigungen/", views.notifications, name="notifications"),
    path(
        "benachrichtigungen/einstellungen/",
        views.notification_settings,
        name="notification-settings",
    ),
    path("benachrichtigungen/<int:pk>/", views.notification_open, name="notification-open"),
]
