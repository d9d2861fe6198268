import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.events.factories import EventFactory
from tests.organizations.factories import OrganizationFactory
from tests.projects.factories import SearchableProjectFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client, name: str) -> list[ET.Element]:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 – our own feed, not untrusted input
    assert feed.tag == f"{ATOM}feed"
    return feed.findall(f"{ATOM}entry")


def test_project_feed_lists_only_public_projects_with_author_and_topics(client, opendata):
    (entry,) = _entries(client, "opendata:project-feed")

    assert entry.findtext(f"{ATOM}title") == "Digitale Akte"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/projekte/digitale-akte/"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ravensburg"
    assert entry.findtext(f"{ATOM}updated")
    assert "Alle Akten digital." in entry.findtext(f"{ATOM}summary")
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Testthema eAkte"]


def test_project_feed_puts_the_latest_update_first(client, opendata):
    newer = SearchableProjectFactory(title="Neu", owner=opendata["ravensburg"])
    opendata["project"].save()  # updated after the new one

    titles = [e.findtext(f"{ATOM}title") for e in _entries(client, "opendata:project-feed")]

    assert titles[:2] == ["Digitale Akte", newer.title]


def test_event_feed_lists_published_and_cancelled_events_but_no_drafts(client, opendata):
    titles = {e.findtext(f"{ATOM}title") for e in _entries(client, "opendata:event-feed")}

    assert titles == {"Austausch eAkte", "Abgesagt: Fällt aus"}


def test_plain_text_summaries_are_escaped_in_the_feed(client, opendata):
    project = opendata["project"]
    project.summary = "<script>alert(1)</script> & mehr"
    project.save()

    (entry,) = _entries(client, "opendata:project-feed")

    assert entry.findtext(f"{ATOM}summary") == (
        "umgesetzt: &lt;script&gt;alert(1)&lt;/script&gt; &amp; mehr"
    )


@pytest.mark.parametrize("name", ["opendata:project-feed", "opendata:event-feed"])
def test_feed_query_count_does_not_grow_with_entries(client, opendata, name):
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    for _ in range(5):
        owner = OrganizationFactory()
        SearchableProjectFactory(owner=owner)
        EventFactory(hosts=[owner])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(name))

    assert len(many) == len(few)


def test_catalog_and_event_list_link_their_feeds(client, db):
    catalog = client.get(reverse("projects:catalog")).content.decode()
    events = client.get(reverse("events:list")).content.decode()

    assert 'type="application/atom+xml" href="/projekte/feed.atom"' in catalog
    assert 'type="application/atom+xml" href="/veranstaltungen/feed.atom"' in events
