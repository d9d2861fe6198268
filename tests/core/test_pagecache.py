"""Whole pages cached for visitors without a session (core/pagecache.py): the catalog's pages and
the home page."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import SearchableProjectFactory

CATALOG = reverse("projects:catalog")
HOME = reverse("core:home")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects():
    owner = OrganizationFactory(name="Ravensburg")
    return [
        SearchableProjectFactory(title="Smart Parking", owner=owner),
        SearchableProjectFactory(title="Geheimes Vorhaben", owner=owner, members_only=True),
    ]


@pytest.mark.parametrize("url", [CATALOG, f"{CATALOG}?q=Parking", HOME])
def test_a_visitors_second_request_reads_nothing_from_the_database(
    projects, url, django_assert_num_queries
):
    first = Client().get(url)
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200
    assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode())


def test_every_visitor_gets_a_token_of_their_own_that_works(projects):
    Client().get(CATALOG)  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(CATALOG)
    tokens = TOKEN.findall(page.content.decode())
    assert tokens
    assert "@@" not in page.content.decode()
    other = TOKEN.findall(Client().get(CATALOG).content.decode())
    assert set(tokens).isdisjoint(other)

    response = visitor.post(
        reverse("set_language"),
        {"language": "en", "next": CATALOG, "csrfmiddlewaretoken": tokens[0]},
    )
    assert response.status_code == 302
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_change_shows_on_the_next_request(client, projects):
    assert "Bürgerportal" not in client.get(CATALOG).content.decode()
    SearchableProjectFactory(title="Bürgerportal")
    assert "Bürgerportal" in client.get(CATALOG).content.decode()

    projects[0].title = "Smart Parking 2.0"
    projects[0].save()
    assert "Smart Parking 2.0" in client.get(CATALOG).content.decode()


def test_signed_in_people_never_get_the_visitors_copy(projects):
    assert "Geheimes Vorhaben" not in Client().get(CATALOG).content.decode()
    member = MembershipFactory(organization=projects[0].owner).user
    page = client_for(member).get(CATALOG).content.decode()
    assert "Geheimes Vorhaben" in page
    # …and a visitor after them still gets the public page.
    assert "Geheimes Vorhaben" not in Client().get(CATALOG).content.decode()


def test_each_language_has_its_own_copy(projects):
    german = Client().get(HOME)
    english_client = Client()
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_client.get(HOME)
    assert german["Content-Language"] == "de"
    assert english["Content-Language"] == "en"
    assert english.content != german.content
    assert Client().get(HOME)["Content-Language"] == "de"


def test_pending_messages_bypass_the_cache(projects):
    Client().get(CATALOG)
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    response = visitor.get(CATALOG)
    # Rendered afresh (the view reads the database), not served from the copy.
    assert "page" in response.context
