"""``/api/``: version 1 of the API, its OpenAPI schema and the documentation page.

Each app contributes an ``api/urls.py``; add it to ``v1_patterns``.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from .views import DocsView, NotFoundView

app_name = "api"

v1_patterns = [
    path("", include("initiativek.organizations.api.urls")),
    path("", include("initiativek.core.api.urls")),
    path("", include("initiativek.projects.api.urls")),
    path("", include("initiativek.events.api.urls")),
    path("", include("initiativek.cooperation.api.urls")),
    path("", include("initiativek.surveys.api.urls")),
]

urlpatterns = [
    path("v1/", include(v1_patterns)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^[\s\S]*$", NotFoundView.as_view(), name="not-found"),
]
