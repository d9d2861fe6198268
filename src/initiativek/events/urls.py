from django.urls import path

from .views import calendar, detail, host_edit, host_participants, listing, registration

app_name = "events"

urlpatterns = [
    path("veranstaltungen/", listing.event_list, name="list"),
    path("veranstaltungen/kalender/", listing.event_month, name="month"),
    path("veranstaltungen/feed.ics", calendar.public_feed, name="feed"),
    path("veranstaltungen/mein-kalender/", registration.my_calendar, name="my-calendar"),
    path(
        "veranstaltungen/mein-kalender/<str:token>.ics",
        calendar.personal_feed,
        name="personal-feed",
    ),
    path("veranstaltungen/anmeldung/<str:token>/", registration.manage, name="registration"),
    path(
        "veranstaltungen/anmeldung/<str:token>/bestaetigen/",
        registration.confirm,
        name="registration-confirm",
    ),
    path("veranstaltungen/neu/", host_edit.event_create, name="create"),
    path("veranstaltungen/<slug:slug>.ics", calendar.event_ics, name="ics"),
    path(
        "veranstaltungen/<slug:slug>/teilnehmende.csv",
        host_participants.export_csv,
        name="export-csv",
    ),
    path(
        "veranstaltungen/<slug:slug>/teilnehmende.xlsx",
        host_participants.export_xlsx,
        name="export-xlsx",
    ),
    path("veranstaltungen/<slug:slug>/", detail.event_detail, name="detail"),
    path("veranstaltungen/<slug:slug>/anmelden/", registration.register, name="register"),
    path("veranstaltungen/<slug:slug>/verwalten/", host_participants.dashboard, name="host"),
    path(
        "veranstaltungen/<slug:slug>/teilnehmende/",
        host_participants.participants,
        name="participants",
    ),
    path("veranstaltungen/<slug:slug>/nachricht/", host_participants.message, name="message"),
    path("veranstaltungen/<slug:slug>/bearbeiten/", host_edit.event_edit, name="edit"),
    path("veranstaltungen/<slug:slug>/absagen/", host_edit.event_cancel, name="cancel"),
    path("veranstaltungen/<slug:slug>/programm/", host_edit.program, name="program"),
    path("veranstaltungen/<slug:slug>/mitwirkende/", host_edit.speakers, name="speakers"),
    path(
        "veranstaltungen/<slug:slug>/programm/<int:pk>/",
        host_edit.program_item,
        name="program-item",
    ),
    path(
        "veranstaltungen/<slug:slug>/material/<int:pk>/",
        host_edit.material_download,
        name="material",
    ),
    path("veranstaltungen/<slug:slug>/ergebnisse/", host_edit.outcomes, name="outcomes"),
]
