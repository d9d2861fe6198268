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
