"""The engine's reasons as German sentences, with the projects behind them linked."""

from decimal import Decimal

import pytest

from initiativek.cooperation.matching import Reason
from initiativek.cooperation.recommendations.reasons import (
    ReasonContext,
    distance_text,
    join_words,
    reason_items,
)
from initiativek.cooperation.recommendations.selectors import reason_context_load
from initiativek.core.models import Topic
from initiativek.organizations.constants import OrganizationKind
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.projects.factories import ProjectFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns():
    ravensburg = OrganizationFactory(
        name="Ravensburg", kind=OrganizationKind.GROSSE_KREISSTADT, population=50_000
    )
    villingen = OrganizationFactory(
        name="Villingen-Schwenningen",
        kind=OrganizationKind.GROSSE_KREISSTADT,
        population=85_000,
        latitude=Decimal("48.06"),
        longitude=Decimal("8.46"),
    )
    return ravensburg, villingen


def _context(ours, theirs, *projects, topics=(), tags=()):
    return ReasonContext(
        organization=ours,
        other=theirs,
        projects={project.pk: project for project in projects},
        topics={topic.pk: topic for topic in topics},
        tags={tag.pk: tag for tag in tags},
    )


def _text(reason, context):
    (item,) = reason_items([reason], context)
    return str(item.text)


def _link(project):
    return f'<a class="kern-link" href="{project.get_absolute_url()}">‚{project.title}‘</a>'


def test_shared_plans_names_topic_and_both_projects(towns):
    ours, theirs = towns
    eakte = Topic.objects.get(slug="eakte-dms")
    mine = ProjectFactory(owner=ours, title="eAkte 2025")
    other = ProjectFactory(owner=theirs, title="Digitale Akte")
    reason = Reason(
        "shared_plans", 2.0, topics=(eakte.pk,), projects=(mine.pk,), other_projects=(other.pk,)
    )
    text = _text(reason, _context(ours, theirs, mine, other, topics=[eakte]))
    assert text == f"Beide planen Projekte zum Thema eAkte/DMS: {_link(mine)} und {_link(other)}"


def test_shared_plans_with_several_projects_says_whose_they_are(towns):
    ours, theirs = towns
    topics = [Topic.objects.get(slug="eakte-dms"), Topic.objects.get(slug="schulen")]
    mine = [ProjectFactory(owner=ours, title=f"Unser {n}") for n in range(2)]
    other = ProjectFactory(owner=theirs, title="Deren")
    reason = Reason(
        "shared_plans",
        2.0,
        topics=tuple(t.pk for t in topics),
        projects=tuple(p.pk for p in mine),
        other_projects=(other.pk,),
    )
    text = _text(reason, _context(ours, theirs, *mine, other, topics=topics))
    assert text.startswith("Beide planen Projekte zu den Themen eAkte/DMS und Schulen: ")
    assert (
        f"{_link(mine[0])} und {_link(mine[1])} (Sie) und {_link(other)} (Villingen-Schwenningen)"
        in text
    )


def test_they_implemented_names_the_other_and_offers_reuse(towns):
    ours, theirs = towns
    parking = ProjectFactory(owner=theirs, title="Smart Parking", status="umgesetzt")
    mine = ProjectFactory(owner=ours, title="Parkleitsystem")
    reason = Reason(
        "they_implemented", 3.0, projects=(mine.pk,), other_projects=(parking.pk,), reuse=True
    )
    text = _text(reason, _context(ours, theirs, mine, parking))
    assert text == (
        f"Villingen-Schwenningen hat {_link(parking)} umgesetzt, Sie planen {_link(mine)}"
        " – Nachnutzung möglich"
    )


def test_they_implemented_says_in_progress_when_it_is(towns):
    ours, theirs = towns
    parking = ProjectFactory(owner=theirs, title="Smart Parking", status="in_umsetzung")
    mine = ProjectFactory(owner=ours, title="Parkleitsystem")
    reason = Reason("they_implemented", 3.0, projects=(mine.pk,), other_projects=(parking.pk,))
    text = _text(reason, _context(ours, theirs, mine, parking))
    assert (
        text == f"Villingen-Schwenningen setzt {_link(parking)} gerade um, Sie planen {_link(mine)}"
    )


def test_we_implemented_names_what_the_other_plans(towns):
    ours, theirs = towns
    mine = ProjectFactory(owner=ours, title="Chatbot", status="umgesetzt")
    other = ProjectFactory(owner=theirs, title="Bürger-Chat")
    reason = Reason("we_implemented", 3.0, projects=(mine.pk,), other_projects=(other.pk,))
    text = _text(reason, _context(ours, theirs, mine, other))
    assert (
        text
        == f"Sie haben {_link(mine)} umgesetzt, das plant Villingen-Schwenningen ({_link(other)})"
    )


def test_similar_text_links_both_projects(towns):
    ours, theirs = towns
    mine = ProjectFactory(owner=ours, title="Ratsinformationssystem")
    other = ProjectFactory(owner=theirs, title="Gremieninfo")
    reason = Reason("similar_text", 1.0, projects=(mine.pk,), other_projects=(other.pk,))
    text = _text(reason, _context(ours, theirs, mine, other))
    assert text == f"Ähnliche Projektbeschreibungen: {_link(mine)} und {_link(other)}"


def test_shared_technology_names_tags_and_projects(towns):
    ours, theirs = towns
    lora = TagFactory(kind="technologie", name="LoRaWAN")
    mine = ProjectFactory(owner=ours, title="Sensoren")
    other = ProjectFactory(owner=theirs, title="Pegelmessung")
    reason = Reason(
        "shared_technology", 1.0, tags=(lora.pk,), projects=(mine.pk,), other_projects=(other.pk,)
    )
    text = _text(reason, _context(ours, theirs, mine, other, tags=[lora]))
    assert text == f"Gleiche Technik oder Anbieter: LoRaWAN ({_link(mine)} und {_link(other)})"


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (("distance", "same_bezirk"), "34 km entfernt, gleicher Regierungsbezirk"),
        (("distance", "same_kreis"), "34 km entfernt, gleicher Kreis"),
        (("distance",), "34 km entfernt"),
        (("same_kreis",), "Gleicher Kreis"),
    ],
)
def test_distance_and_region_share_one_line(towns, codes, expected):
    ours, theirs = towns
    reasons = [
        Reason(code, 0.5, distance_km=34.4 if code == "distance" else None) for code in codes
    ]
    items = reason_items(reasons, _context(ours, theirs))
    assert [str(item.text) for item in items] == [expected]


def test_short_distances_have_one_decimal_with_a_comma():
    assert distance_text(3.44) == "3,4 km"
    assert distance_text(123.6) == "124 km"


def test_similar_size_shows_both_populations_in_german_format(towns):
    ours, theirs = towns
    text = _text(Reason("similar_size", 0.4), _context(ours, theirs))
    assert text == "Ähnlich groß (50.000 und 85.000 Einwohner)"


def test_same_kind_names_the_kind(towns):
    ours, theirs = towns
    assert (
        _text(Reason("same_kind", 0.5), _context(ours, theirs)) == "Gleiche Art: Große Kreisstadt"
    )


def test_similar_survey_lists_the_shared_obstacles(towns):
    ours, theirs = towns
    reason = Reason("similar_survey", 0.5, features=("Hindernis: Papierakten", "Hindernis: VPN"))
    text = _text(reason, _context(ours, theirs))
    assert text == "Ähnliche Hindernisse im Homeoffice: Papierakten und VPN"


def test_unknown_reason_codes_are_left_out(towns):
    ours, theirs = towns
    assert reason_items([Reason("something_new", 1.0)], _context(ours, theirs)) == []


def test_titles_are_escaped(towns):
    ours, theirs = towns
    mine = ProjectFactory(owner=ours, title="<script>alert(1)</script>")
    other = ProjectFactory(owner=theirs, title="A & B")
    reason = Reason("similar_text", 1.0, projects=(mine.pk,), other_projects=(other.pk,))
    text = _text(reason, _context(ours, theirs, mine, other))
    assert "<script>" not in text
    assert "&lt;script&gt;" in text and "A &amp; B" in text


def test_more_than_three_projects_are_summed_up():
    assert str(join_words(["a", "b", "c"])) == "a, b und c"
    ours, theirs = OrganizationFactory(), OrganizationFactory()
    mine = [ProjectFactory(owner=ours) for _ in range(5)]
    reason = Reason("similar_text", 1.0, projects=tuple(p.pk for p in mine))
    text = _text(reason, _context(ours, theirs, *mine))
    assert text.endswith("und 2 weitere")


def test_projects_the_viewer_may_not_see_are_not_named(towns):
    ours, theirs = towns
    viewer = MembershipFactory(organization=ours).user
    mine = ProjectFactory(owner=ours, title="Unser Projekt", draft=True)
    secret = ProjectFactory(owner=theirs, title="Geheimer Entwurf", draft=True)
    visible = ProjectFactory(owner=theirs, title="Öffentliches Projekt")
    reason = Reason(
        "similar_text", 1.0, projects=(mine.pk,), other_projects=(secret.pk, visible.pk)
    )
    context = reason_context_load(user=viewer, reason_lists=[[reason]])
    context.organization, context.other = ours, theirs
    text = _text(reason, context)
    assert "Geheimer Entwurf" not in text
    assert secret.get_absolute_url() not in text
    assert "Unser Projekt" in text  # own drafts are visible to the own people
    assert "Öffentliches Projekt" in text
