from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from initiativek.events.constants import (
    AttendanceMode,
    EventFormat,
    EventStatus,
    ProgramKind,
    ProgramRole,
    RegistrationStatus,
)
from initiativek.events.models import (
    ClosingStatement,
    Event,
    EventSeries,
    ProgramItem,
    ProgramPerson,
    Registration,
    Speaker,
)
from tests.organizations.factories import OrganizationFactory

BERLIN = ZoneInfo("Europe/Berlin")


def _in_two_weeks_at(hour: int) -> datetime:
    day = timezone.now().astimezone(BERLIN).date() + timedelta(days=14)
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


class EventSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventSeries
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Initiative K {2021 + n}")
    slug = factory.Sequence(lambda n: f"initiative-k-{2021 + n}")


class EventFactory(factory.django.DjangoModelFactory):
    """A published hybrid event in two weeks, 12–14 Uhr, with seats on site and online.

    ``hosts=[org, …]`` sets the hosting organizations (default: one new organization).
    """

    class Meta:
        model = Event
        skip_postgeneration_save = True

    series = factory.SubFactory(EventSeriesFactory)
    title = factory.Sequence(lambda n: f"Erfahrungsaustausch {n}")
    slug = factory.Sequence(lambda n: f"erfahrungsaustausch-{n}")
    summary = "Kommunen berichten aus der Praxis."
    format = EventFormat.HYBRID
    starts_at = factory.LazyFunction(lambda: _in_two_weeks_at(12))
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + timedelta(hours=2) if o.starts_at else None
    )
    venue = "Rathaus Ravensburg, Schwörsaal"
    venue_address = "Marienplatz 26\n88212 Ravensburg"
    online_url = "https://konferenz.example.org/raum/initiative-k"
    capacity_onsite = 20
    capacity_online = 50
    status = EventStatus.PUBLISHED

    class Params:
        draft = factory.Trait(status=EventStatus.DRAFT)
        cancelled = factory.Trait(status=EventStatus.CANCELLED)
        undated = factory.Trait(starts_at=None, ends_at=None)
        online = factory.Trait(
            format=EventFormat.ONLINE, venue="", venue_address="", capacity_onsite=None
        )
        onsite = factory.Trait(format=EventFormat.ONSITE, online_url="", capacity_online=None)

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        if not create:
            return
        self.hosts.set(extracted if extracted is not None else [OrganizationFactory()])


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Faker("name", locale="de_DE")
    function = "Digitalisierungsbeauftragte"
    organization = factory.SubFactory(OrganizationFactory)


class ProgramItemFactory(factory.django.DjangoModelFactory):
    """A program item; ``speakers=[…]`` and ``moderators=[…]`` add people in order."""

    class Meta:
        model = ProgramItem
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    position = factory.Sequence(lambda n: n)
    kind = ProgramKind.TALK
    title = factory.Sequence(lambda n: f"Vortrag {n}")

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if create and extracted:
            for position, speaker in enumerate(extracted):
                ProgramPerson.objects.create(
                    item=self, speaker=speaker, role=ProgramRole.SPEAKER, position=position
                )

    @factory.post_generation
    def moderators(self, create, extracted, **kwargs):
        if create and extracted:
            for position, speaker in enumerate(extracted, start=100):
                ProgramPerson.objects.create(
                    item=self, speaker=speaker, role=ProgramRole.MODERATOR, position=position
                )


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed on-site registration of a guest (``user=…`` for a member)."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Faker("name", locale="de_DE")
    email = factory.Sequence(lambda n: f"teilnehmende{n}@example.org")
    mode = AttendanceMode.ONSITE
    status = RegistrationStatus.CONFIRMED
    privacy_consent_at = factory.LazyFunction(timezone.now)
    privacy_text_version = "test"

    class Params:
        online = factory.Trait(mode=AttendanceMode.ONLINE)
        pending = factory.Trait(status=RegistrationStatus.PENDING)
        waitlisted = factory.Trait(
            status=RegistrationStatus.WAITLISTED, queued_at=factory.LazyFunction(timezone.now)
        )
        offered = factory.Trait(
            status=RegistrationStatus.OFFERED,
            offered_until=factory.LazyFunction(lambda: timezone.now() + timedelta(hours=48)),
        )
        cancelled = factory.Trait(
            status=RegistrationStatus.CANCELLED, cancelled_at=factory.LazyFunction(timezone.now)
        )


class ClosingStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosingStatement

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)
    text = "Wir möchten die Plattform gemeinsam weiterentwickeln."
