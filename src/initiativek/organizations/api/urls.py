from django.urls import path

from . import views

urlpatterns = [
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<str:key>/", views.RegionDetailView.as_view(), name="region-detail"),
]
