import io
from datetime import date

import pytest

from initiativek.core.constants import Goal
from initiativek.core.models import Topic
from initiativek.organizations.constants import RegionLevel
from tests.events.factories import EventFactory
from tests.organizations.factories import OrganizationFactory, RegionFactory
from tests.projects.factories import SearchableProjectFactory

SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def opendata(db):
    """Two organizations, one public project among unpublished and members-only ones, one
    published and one cancelled event beside a draft."""
    land = RegionFactory(key="08", level=RegionLevel.LAND, name="Baden-Württemberg")
    bezirk = RegionFactory(
        key="084", level=RegionLevel.REGIERUNGSBEZIRK, name="Tübingen", parent=land
    )
    kreis = RegionFactory(
        key="08436", level=RegionLevel.KREIS, name="Ravensburg", code="44", parent=bezirk
    )
    gemeinde = RegionFactory(key="08436064", name="Ravensburg", parent=kreis)
    ravensburg = OrganizationFactory(
        name="Ravensburg",
        slug="ravensburg",
        kind="grosse_kreisstadt",
        ags="08436064",
        region=gemeinde,
        population=51000,
        website="https://www.ravensburg.de",
    )
    verein = OrganizationFactory(name="Zweckverband Test", slug="zv-test", kind="verband")
    verein.is_member = False
    verein.save()
    topic = Topic.objects.create(name="Testthema eAkte", slug="test-eakte", position=90)
    project = SearchableProjectFactory(
        title="Digitale Akte",
        slug="digitale-akte",
        owner=ravensburg,
        summary="Alle Akten digital.",
        status="umgesetzt",
        reuse_offered=True,
        start_month=date(2023, 1, 1),
        topics=[topic],
        goals=[Goal.IT_RELIEF, Goal.HOMEOFFICE],
        technologies=["DMS", "Scanner"],
        vendors=["Firma A"],
    )
    SearchableProjectFactory(title="Entwurf", owner=ravensburg, draft=True)
    SearchableProjectFactory(title="Intern", owner=ravensburg, members_only=True)
    SearchableProjectFactory(title="Archiviert", owner=ravensburg, archived=True)
    event = EventFactory(title="Austausch eAkte", slug="austausch-eakte", hosts=[ravensburg])
    event.topics.set([topic])
    cancelled = EventFactory(title="Fällt aus", slug="faellt-aus", hosts=[verein], cancelled=True)
    EventFactory(title="Geheimer Entwurf", hosts=[ravensburg], draft=True)
    return {
        "ravensburg": ravensburg,
        "verein": verein,
        "project": project,
        "event": event,
        "cancelled": cancelled,
    }


def content_of(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def xlsx_rows(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return list(sheet.iter_rows(values_only=True))
