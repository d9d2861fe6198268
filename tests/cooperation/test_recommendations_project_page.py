"""„Wer hat so etwas schon umgesetzt?“ on a planned project's page."""

import logging

import pytest

from initiativek.cooperation.matching import MatchIndex
from initiativek.cooperation.recommendations import implemented_like_for_project
from initiativek.cooperation.recommendations.index import match_index_clear
from initiativek.core.models import Topic
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory, TagFactory

pytestmark = pytest.mark.django_db

HEADING = "Wer hat so etwas schon umgesetzt?"


@pytest.fixture(autouse=True)
def _fresh_index():
    match_index_clear()
    yield
    match_index_clear()


@pytest.fixture
def parking():
    topic = Topic.objects.get(slug="mobilitaet-parken")
    lora = TagFactory(kind="technologie", name="LoRaWAN")
    ravensburg = OrganizationFactory(name="Ravensburg")
    villingen = OrganizationFactory(name="Villingen-Schwenningen")
    planned = ProjectFactory(
        owner=ravensburg,
        title="Parkleitsystem",
        summary="Freie Parkplätze mit Sensoren erkennen.",
        status="geplant",
        topics=[topic],
    )
    planned.technologies.set([lora])
    done = ProjectFactory(
        owner=villingen,
        title="Smart Parking",
        summary="Parkplätze mit Sensoren erkennen und in der App zeigen.",
        status="umgesetzt",
        reuse_offered=True,
        topics=[topic],
    )
    done.technologies.set([lora])
    return {"planned": planned, "done": done, "ravensburg": ravensburg, "villingen": villingen}


def _member():
    return MembershipFactory(organization=OrganizationFactory()).user


def test_planned_project_shows_who_has_implemented_something_like_it(parking):
    body = client_for(_member()).get(parking["planned"].get_absolute_url()).content.decode()
    assert HEADING in body
    section = body[body.index(HEADING) :]
    assert f'href="{parking["done"].get_absolute_url()}"' in section
    assert "Villingen-Schwenningen" in section
    assert "Gleiches Thema: Mobilität &amp; Parken" in section
    assert "Gleiche Technik oder Anbieter: LoRaWAN" in section
    assert "Nachnutzung möglich" in section


def test_team_sees_the_section(parking, team_user):
    body = client_for(team_user).get(parking["planned"].get_absolute_url()).content.decode()
    assert HEADING in body


def test_idea_counts_as_planning(parking):
    parking["planned"].status = "idee"
    parking["planned"].save()
    body = client_for(_member()).get(parking["planned"].get_absolute_url()).content.decode()
    assert HEADING in body


@pytest.mark.parametrize("status", ["umgesetzt", "in_umsetzung", "eingestellt"])
def test_projects_beyond_planning_have_no_section(parking, status):
    parking["planned"].status = status
    parking["planned"].save()
    body = client_for(_member()).get(parking["planned"].get_absolute_url()).content.decode()
    assert HEADING not in body


def test_visitors_and_non_members_do_not_see_the_section(client, parking):
    url = parking["planned"].get_absolute_url()
    assert HEADING not in client.get(url).content.decode()
    assert HEADING not in client_for(UserFactory()).get(url).content.decode()


def test_section_is_left_out_without_matches(parking):
    parking["done"].delete()
    body = client_for(_member()).get(parking["planned"].get_absolute_url()).content.decode()
    assert HEADING not in body


def test_draft_of_a_planned_project_has_no_section(parking):
    editor = MembershipFactory(organization=parking["ravensburg"], editor=True).user
    parking["planned"].publication = "entwurf"
    parking["planned"].save()
    assert implemented_like_for_project(project=parking["planned"], user=editor) == []


def test_engine_failure_leaves_the_page_working(parking, monkeypatch, caplog):
    def broken(self, project_id, *, limit=10):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(MatchIndex, "implemented_like", broken)
    with caplog.at_level(logging.ERROR):
        response = client_for(_member()).get(parking["planned"].get_absolute_url())
    assert response.status_code == 200
    assert HEADING not in response.content.decode()
    assert "implemented_like failed" in caplog.text


def test_at_most_five_matches(parking):
    topic = Topic.objects.get(slug="mobilitaet-parken")
    for number in range(7):
        ProjectFactory(
            title=f"Parken {number}",
            summary="Parkplätze mit Sensoren.",
            status="umgesetzt",
            topics=[topic],
        )
    items = implemented_like_for_project(project=parking["planned"], user=_member())
    assert len(items) == 5
    assert all(item.organization != parking["ravensburg"] for item in items)
