from django.urls import path

from . import views, views_audit

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("initiative/", views.initiative, name="initiative"),
    path("impressum/", views.page, {"template": "impressum"}, name="impressum"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("team/protokoll/", views_audit.audit_log, name="audit-log"),
]
