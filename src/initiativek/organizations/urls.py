from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("organisationen/", views.directory, name="directory"),
    path("organisationen/<slug:slug>/", views.detail, name="detail"),
    path("organisationen/<slug:slug>/bearbeiten/", views.edit, name="edit"),
    path("organisationen/<slug:slug>/personen/", views.people, name="people"),
    path(
        "organisationen/<slug:slug>/personen/<int:pk>/entfernen/",
        views.membership_remove,
        name="membership-remove",
    ),
    path("organisationen/<slug:slug>/vertreten/", views.apply_existing, name="apply"),
    path("mitgliedschaft/", views.apply_start, name="apply-start"),
    path("mitgliedschaft/neue-organisation/", views.apply_new, name="apply-new"),
    path(
        "mitgliedschaft/antraege/<int:pk>/zurueckziehen/",
        views.application_withdraw,
        name="application-withdraw",
    ),
    path("einladung/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("team/antraege/", views.review_list, name="review-list"),
    path("team/antraege/<int:pk>/", views.review_detail, name="review-detail"),
]
