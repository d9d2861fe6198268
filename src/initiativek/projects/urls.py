from django.urls import path

from .views import catalog, detail, editing, goals

app_name = "projects"

urlpatterns = [
    path("projekte/", catalog.catalog, name="catalog"),
    path("initiative/ziele/<int:number>/", goals.goal_detail, name="goal"),
    path("projekte/neu/", editing.project_create, name="create"),
    path("projekte/<slug:slug>/", detail.project_detail, name="detail"),
    path("projekte/<slug:slug>/bearbeiten/", editing.project_edit, name="edit"),
    path("projekte/<slug:slug>/status/", editing.project_publication, name="publication"),
    path("projekte/<slug:slug>/verlauf/", editing.project_history, name="history"),
    path("projekte/<slug:slug>/anhaenge/", editing.attachment_manage, name="attachments"),
    path("projekte/<slug:slug>/anhaenge/<int:pk>/", detail.attachment_download, name="attachment"),
    path("projekte/<slug:slug>/interesse/", detail.interest, name="interest"),
]

# Project import (issue 7). Prepended: "import" would otherwise be taken for a project's slug.
from .views import importing as importing_views  # noqa: E402

urlpatterns = [
    path("projekte/import/", importing_views.project_import_upload, name="import"),
    path(
        "projekte/import/bestaetigen/",
        importing_views.project_import_confirm,
        name="import-confirm",
    ),
    path(
        "projekte/import/vorlage.xlsx",
        importing_views.project_import_template,
        {"extension": "xlsx"},
        name="import-template-xlsx",
    ),
    path(
        "projekte/import/vorlage.csv",
        importing_views.project_import_template,
        {"extension": "csv"},
        name="import-template-csv",
    ),
    *urlpatterns,
]
