from django.urls import path

from . import feeds, views

app_name = "opendata"

urlpatterns = [
    path("daten/", views.index, name="index"),
    path("daten/katalog.jsonld", views.catalog, name="catalog"),
    path("daten/<slug:dataset>.<slug:fmt>", views.download, name="download"),
    path("projekte/feed.atom", feeds.ProjectFeed(), name="project-feed"),
    path("veranstaltungen/feed.atom", feeds.EventFeed(), name="event-feed"),
]
