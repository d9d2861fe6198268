from django.urls import path

from .views import calendar, detail, listing, registration

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
    path("veranstaltungen/<slug:slug>.ics", calendar.event_ics, name="ics"),
    path("veranstaltungen/<slug:slug>/", detail.event_detail, name="detail"),
    path("veranstaltungen/<slug:slug>/anmelden/", registration.register, name="register"),
]
