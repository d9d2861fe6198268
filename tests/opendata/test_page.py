from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_open_data_page_lists_datasets_downloads_columns_and_licenses(client, opendata):
    response = client.get(reverse("opendata:index"))
    html = response.content.decode()

    assert response.status_code == 200
    for slug in ("organisationen", "projekte", "veranstaltungen"):
        assert f'href="/daten/{slug}.csv?trenner=semikolon"' in html
        assert f'href="/daten/{slug}.json"' in html
        assert f'href="/daten/{slug}.xlsx"' in html
    assert "<code>einwohner</code>" in html
    assert "Datenlizenz Deutschland – Namensnennung – Version 2.0" in html
    assert "CC BY 4.0" in html
    assert '<link rel="alternate" type="application/ld+json" href="/daten/katalog.jsonld"' in html
    assert 'type="application/atom+xml" href="/projekte/feed.atom"' in html


def test_open_data_page_is_linked_in_the_footer(client, db):
    html = client.get(reverse("core:home")).content.decode()

    assert 'href="/daten/"' in html


def test_open_data_page_needs_few_queries(client, opendata):
    client.get(reverse("opendata:index"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("opendata:index"))

    assert len(queries) <= 5
