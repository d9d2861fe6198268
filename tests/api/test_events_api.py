"""/api/v1/events/: published events with program and speakers, never participants."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from initiativek.core.models import Topic
from tests.conftest import client_for
from tests.events.factories import (
    EventFactory,
    ProgramItemFactory,
    RegistrationFactory,
    SpeakerFactory,
)
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory

# Until the composition includes this app's URLs, they are mounted here.
pytestmark = [pytest.mark.django_db]

LIST = "/api/v1/events/"


def _slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_anonymous_visitors_see_published_events_but_not_drafts():
    EventFactory(slug="offen")
    EventFactory(slug="entwurf", draft=True)

    assert _slugs(Client().get(LIST)) == ["offen"]
    assert Client().get(f"{LIST}entwurf/").status_code == 404


def test_hosts_see_their_drafts_as_on_the_web():
    host = OrganizationFactory()
    EventFactory(slug="entwurf", draft=True, hosts=[host])
    editor = MembershipFactory(organization=host, editor=True).user

    assert client_for(editor).get(f"{LIST}entwurf/").status_code == 200


def test_upcoming_and_past_are_apart():
    EventFactory(slug="bald")
    past_start = timezone.now() - timedelta(days=30)
    EventFactory(slug="vorbei", starts_at=past_start, ends_at=past_start + timedelta(hours=2))

    assert _slugs(Client().get(LIST)) == ["bald"]
    assert _slugs(Client().get(LIST, {"zeit": "vergangen"})) == ["vorbei"]


def test_format_and_topic_filters():
    topic = Topic.objects.get(slug="schulen")
    tagged = EventFactory(slug="schule", online=True)
    tagged.topics.add(topic)
    EventFactory(slug="andere")

    assert _slugs(Client().get(LIST, {"thema": "schulen"})) == ["schule"]
    assert _slugs(Client().get(LIST, {"veranstaltungsformat": "online"})) == ["schule"]


@pytest.mark.parametrize(
    "params",
    [
        {"zeit": "morgen"},
        {"veranstaltungsformat": "telefon"},
        {"thema": "gibt-es-nicht"},
        {"gastgeber": "niemand"},
        {"monat": "2024-13"},
        {"seite": "0"},
    ],
)
def test_filter_values_of_the_wrong_kind_are_problems(params):
    EventFactory()
    response = Client().get(LIST, params)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"


def test_detail_has_program_and_speakers_but_no_participants_or_online_link():
    event = EventFactory(slug="tag")
    speaker = SpeakerFactory(name="Erika Muster", function="CDO")
    project = ProjectFactory(slug="park")
    item = ProgramItemFactory(event=event, title="Smart Parking", speakers=[speaker])
    item.projects.add(project)
    RegistrationFactory(event=event, name="Geheim Person", email="geheim@example.org")

    response = Client().get(f"{LIST}tag/")

    assert response.status_code == 200
    data = response.json()
    assert data["program"][0]["title"] == "Smart Parking"
    assert data["program"][0]["people"][0]["name"] == "Erika Muster"
    assert data["program"][0]["projects"] == [{"slug": "park", "title": project.title}]
    assert data["speakers"][0]["name"] == "Erika Muster"
    body = response.content.decode()
    assert "Geheim" not in body
    assert "geheim@example.org" not in body
    assert "konferenz.example.org" not in body


def test_detail_answers_304_for_a_matching_etag():
    EventFactory(slug="tag")
    etag = Client().get(f"{LIST}tag/")["ETag"]

    assert Client().get(f"{LIST}tag/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_list_needs_a_fixed_number_of_queries(django_assert_max_num_queries):
    topics = list(Topic.objects.all()[:2])
    for _n in range(10):
        event = EventFactory(hosts=[OrganizationFactory(), OrganizationFactory()])
        event.topics.set(topics)
    with django_assert_max_num_queries(6):
        assert len(_slugs(Client().get(LIST))) == 10
