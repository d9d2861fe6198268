"""A small labelled evaluation set for the matching engine: pairs of organizations that a
person reading their projects would put together – and why – and ones that should rank low.

Names, places and Kreis keys are real (the demo's best-practice towns and their neighbours);
the projects are invented in the style of the demo data. Topic ids follow the seeded taxonomy.
"""

import dataclasses

import numpy as np
import pytest

from initiativek.cooperation.matching import (
    IMPLEMENTED,
    OTHER,
    PLANNED,
    MatchIndex,
    MatchOrganization,
    MatchProject,
)

# Topic ids as seeded (core migration 0005).
HOMEOFFICE, IT, EAKTE, OZG, CHATBOT, IOT, PARKEN, DATEN, KLIMA, SCHULEN, FEUERWEHR, ENTSORGUNG = (
    range(1, 13)
)
# Tags: technologies, products, vendors.
LORAWAN, DVELOP, SERVICE_BW, PARKSENSOR, VPN, KORA, TABLETS, DASHBOARD = range(1, 9)

# fmt: off
ORGANIZATIONS = [
    # id, name, kind, population, latitude, longitude, Kreis
    (1, "Ravensburg", "grosse_kreisstadt", 51_000, 47.7815, 9.6119, "08436"),
    (2, "Villingen-Schwenningen", "grosse_kreisstadt", 85_000, 48.0623, 8.4936, "08326"),
    (3, "Konstanz", "grosse_kreisstadt", 85_000, 47.6603, 9.1758, "08335"),
    (4, "Heidenheim an der Brenz", "grosse_kreisstadt", 50_000, 48.6761, 10.1543, "08135"),
    (5, "Waiblingen", "grosse_kreisstadt", 56_000, 48.8303, 9.3169, "08119"),
    (6, "Baden-Baden", "stadtkreis", 55_000, 48.7606, 8.2398, "08211"),
    (7, "Tuttlingen", "grosse_kreisstadt", 36_000, 47.9849, 8.8177, "08327"),
    (8, "Weingarten", "grosse_kreisstadt", 25_000, 47.8096, 9.6400, "08436"),
    (9, "Friedrichshafen", "grosse_kreisstadt", 61_000, 47.6542, 9.4797, "08435"),
    (10, "Aalen", "grosse_kreisstadt", 68_000, 48.8378, 10.0933, "08136"),
    (11, "Rastatt", "grosse_kreisstadt", 50_000, 48.8588, 8.2036, "08216"),
    (12, "Singen (Hohentwiel)", "grosse_kreisstadt", 48_000, 47.7628, 8.8400, "08335"),
    (13, "Schorndorf", "grosse_kreisstadt", 40_000, 48.8053, 9.5272, "08119"),
    (14, "Mannheim", "stadtkreis", 315_000, 49.4875, 8.4660, "08222"),
    (15, "Freiburg im Breisgau", "stadtkreis", 230_000, 47.9990, 7.8421, "08311"),
    (16, "Ulm", "stadtkreis", 126_000, 48.4011, 9.9876, "08421"),
    # synthetic ones
    (17, "Oberdorf", "gemeinde", 2_100, 47.90, 9.30, "08437"),
    (18, "Unterdorf", "gemeinde", 1_900, 47.95, 9.36, "08437"),
    (19, "Zweckverband Musterhausen", "verband", 800, 53.55, 10.00, None),
    (20, "Beispielstadt Nord", "stadt", 12_000, 54.32, 10.13, None),
    (21, "Kleindorf", "gemeinde", None, None, None, None),
]

PROJECTS = [
    # id, organization, stage, topics, tags, reuse offered, title, text
    (101, 2, IMPLEMENTED, {PARKEN, IOT}, {PARKSENSOR, LORAWAN}, True, "Smart Parking",
     "Sensoren erfassen die Belegung der Parkplätze in der Innenstadt; eine App zeigt freie "
     "Parkplätze an und verringert den Parksuchverkehr."),
    (102, 7, PLANNED, {PARKEN}, {PARKSENSOR}, False, "Digitale Parkplatzsuche",
     "Wir wollen freie Parkplätze in der Innenstadt mit Sensoren erfassen und online anzeigen, "
     "damit weniger Parksuchverkehr entsteht."),
    (103, 8, PLANNED, {EAKTE, HOMEOFFICE}, {DVELOP}, False, "Einführung der eAkte",
     "Die elektronische Akte und ein Dokumentenmanagementsystem sollen in allen Ämtern "
     "eingeführt werden; Papierakten werden gescannt."),
    (104, 9, PLANNED, {EAKTE}, {DVELOP}, False, "eAkte im Rathaus",
     "Einführung der elektronischen Akte mit Dokumentenmanagement: Vorgänge werden digital "
     "bearbeitet, Papierakten eingescannt."),
    (105, 10, PLANNED, {EAKTE}, set(), False, "E-Akte für die Verwaltung",
     "Wir planen die Einführung eines Dokumentenmanagementsystems und der elektronischen Akte."),
    (106, 4, IMPLEMENTED, {EAKTE, OZG, CHATBOT, HOMEOFFICE}, {DVELOP, SERVICE_BW, KORA}, True,
     "eAkte/DMS und E-Government mit Chatbot „Kora“",
     "Elektronische Akte und Dokumentenmanagement als Grundlage für die Arbeit im Homeoffice, "
     "Online-Dienste über service-bw und der Chatbot Kora im Bürgerservice."),
    (107, 6, IMPLEMENTED, {IOT, IT}, {LORAWAN}, True, "LoRaWAN in Baden-Baden",
     "Aufbau eines LoRaWAN-Funknetzes für Sensoren im Stadtgebiet: Pegelstände, Raumklima und "
     "Füllstände von Abfallbehältern werden gemessen."),
    (108, 11, PLANNED, {IOT}, {LORAWAN}, False, "LoRaWAN-Funknetz",
     "Ein LoRaWAN-Funknetz soll Sensoren im Stadtgebiet anbinden, etwa für Pegelstände und "
     "Füllstände."),
    (109, 3, IMPLEMENTED, {DATEN}, {DASHBOARD}, False, "Die Zukunft der Stadt mit Daten gestalten",
     "Statistik und Daten unterstützen die Steuerung der Stadt: ein Dashboard mit Kennzahlen "
     "für Gemeinderat und Verwaltung."),
    (110, 12, PLANNED, {DATEN}, {DASHBOARD}, False, "Datenplattform und Statistik",
     "Wir planen eine Datenplattform mit Statistik und einem Dashboard mit Kennzahlen zur "
     "Steuerung der Stadt."),
    (111, 5, IMPLEMENTED, {OZG}, {SERVICE_BW}, False, "OZG-Taskforce",
     "Eine Taskforce setzt das Onlinezugangsgesetz um: Anträge werden über service-bw online "
     "angeboten."),
    (112, 13, PLANNED, {OZG}, {SERVICE_BW}, False, "Online-Anträge nach dem OZG",
     "Anträge sollen nach dem Onlinezugangsgesetz online über service-bw gestellt werden."),
    (113, 1, IMPLEMENTED, {PARKEN}, set(), False, "Mobilitätsplattform tws.mobil",
     "Eine Mobilitätsplattform bündelt Bus, Rad und Carsharing in einer App."),
    (114, 1, PLANNED, {KLIMA, SCHULEN, IOT}, {LORAWAN}, False, "Sensoren für Schulgebäude",
     "Raumklima und Energieverbrauch in Schulen mit Sensoren messen."),
    (115, 14, IMPLEMENTED, {SCHULEN}, {TABLETS}, False, "Tablets für alle Grundschulen",
     "Alle Grundschulen erhalten Tablets und WLAN; Lehrkräfte werden geschult."),
    (116, 14, IMPLEMENTED, {FEUERWEHR}, set(), False, "Digitale Einsatzplanung",
     "Die Feuerwehr plant Einsätze mit einer digitalen Lagekarte."),
    (117, 15, IMPLEMENTED, {CHATBOT}, {KORA}, True, "Chatbot im Bürgerservice",
     "Ein Chatbot beantwortet rund um die Uhr Fragen zum Bürgerservice und zu Terminen."),
    (118, 15, PLANNED, {KLIMA}, set(), False, "Energiemonitoring städtischer Gebäude",
     "Der Energieverbrauch städtischer Gebäude wird digital erfasst."),
    (119, 16, PLANNED, {CHATBOT}, {KORA}, False, "Chatbot für Bürgerfragen",
     "Ein Chatbot soll Fragen zum Bürgerservice und zu Terminen beantworten."),
    (120, 17, PLANNED, {HOMEOFFICE, IT}, {VPN}, False, "Mobiles Arbeiten",
     "Laptops und ein VPN-Zugang ermöglichen mobiles Arbeiten im Homeoffice."),
    (121, 18, IMPLEMENTED, {HOMEOFFICE, IT}, {VPN}, True, "Homeoffice mit VPN",
     "Alle Mitarbeitenden arbeiten mit Laptops und VPN-Zugang im Homeoffice."),
    (122, 20, IMPLEMENTED, {ENTSORGUNG}, set(), False, "Abwasser-Leitsystem",
     "Das Klärwerk überwacht Pumpwerke und Regenüberlaufbecken mit einem Leitsystem."),
    (123, 7, OTHER, {SCHULEN}, set(), False, "Schul-Cloud (eingestellt)",
     "Eine Schul-Cloud wurde erprobt und wieder eingestellt."),
]

# (asking organization, expected partner, within the top k, why)
LABELLED_PAIRS = [
    (7, 2, 3, "Tuttlingen plans Smart Parking; Villingen-Schwenningen, 27 km away, has "
              "implemented it and offers reuse"),
    (2, 7, 3, "the same pair from the implementer's side: someone plans what it has done"),
    (8, 9, 3, "Weingarten and Friedrichshafen both plan an eAkte with the same product, 14 km "
              "apart in the same Regierungsbezirk: a joint procurement"),
    (9, 8, 3, "the same pair, symmetric"),
    (10, 4, 3, "Aalen plans an eAkte; Heidenheim next door implemented eAkte/DMS with reuse"),
    (4, 10, 3, "Heidenheim's experience is wanted by its neighbour Aalen"),
    (11, 6, 3, "Rastatt plans a LoRaWAN network; Baden-Baden, 11 km away, runs one"),
    (6, 11, 3, "the same pair from Baden-Baden's side"),
    (12, 3, 3, "Singen plans a data platform with a dashboard; Konstanz (same Kreis) has one"),
    (13, 5, 3, "Schorndorf plans OZG online applications via service-bw; Waiblingen (same "
               "Kreis) has an OZG taskforce that does this"),
    (16, 15, 3, "Ulm plans the Kora chatbot that Freiburg implemented and offers, despite the "
                "distance"),
    (17, 18, 3, "two small neighbouring Gemeinden: one plans mobile work with VPN, the other "
                "has done exactly that and offers reuse"),
    (18, 17, 3, "the same pair from the implementer's side"),
]
# fmt: on

# (asking organization, organization that should rank in the lower half, why)
LOW_PAIRS = [
    (1, 19, "a far-away Zweckverband without projects shares nothing with Ravensburg"),
    (8, 20, "a far-away town whose only project is about sewage has nothing for an eAkte plan"),
    (2, 19, "nothing in common and 650 km away"),
]


def _world() -> tuple[list[MatchOrganization], list[MatchProject]]:
    organizations = [
        MatchOrganization(
            id=id_,
            name=name,
            kind=kind,
            population=population,
            latitude=latitude,
            longitude=longitude,
            kreis=kreis,
            bezirk=kreis[:3] if kreis else None,
        )
        for id_, name, kind, population, latitude, longitude, kreis in ORGANIZATIONS
    ]
    projects = [
        MatchProject(
            id=id_,
            organization_id=organization,
            title=title,
            stage=stage,
            topics=frozenset(topics),
            tags=frozenset(tags),
            text=f"{title}. {text}",
            reuse_offered=reuse,
        )
        for id_, organization, stage, topics, tags, reuse, title, text in PROJECTS
    ]
    return organizations, projects


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return MatchIndex.build(*_world())


@pytest.mark.parametrize(("asking", "partner", "k", "why"), LABELLED_PAIRS)
def test_labelled_partners_rank_in_the_top(index, asking, partner, k, why):
    ranked = [s.organization_id for s in index.recommend(asking, limit=k)]
    assert partner in ranked, why


@pytest.mark.parametrize(("asking", "other", "why"), LOW_PAIRS)
def test_unrelated_far_away_organizations_rank_in_the_lower_half(index, asking, other, why):
    ranked = [s.organization_id for s in index.recommend(asking, limit=len(ORGANIZATIONS))]
    assert other not in ranked[: (len(ORGANIZATIONS) - 1) // 2], why


def test_the_smart_parking_suggestion_names_the_projects_and_the_reuse(index):
    suggestion = next(s for s in index.recommend(7) if s.organization_id == 2)
    reason = next(r for r in suggestion.reasons if r.code == "they_implemented")
    assert reason.projects == (102,)
    assert reason.other_projects == (101,)
    assert reason.topics == (PARKEN,)
    assert reason.reuse is True
    distance = next(r for r in suggestion.reasons if r.code == "distance")
    assert distance.distance_km == pytest.approx(27, abs=3)


def test_the_joint_eakte_suggestion_names_both_plans(index):
    suggestion = next(s for s in index.recommend(8) if s.organization_id == 9)
    reason = next(r for r in suggestion.reasons if r.code == "shared_plans")
    assert reason.topics == (EAKTE,)
    assert (reason.projects, reason.other_projects) == ((103,), (104,))
    codes = {r.code for r in suggestion.reasons}
    assert {"shared_technology", "same_bezirk", "same_kind"} <= codes


def test_who_implemented_something_like_a_planned_project(index):
    matches = index.implemented_like(105)  # Aalen's eAkte plan
    assert matches[0].project_id == 106
    assert matches[0].organization_id == 4
    assert matches[0].reasons[0].code == "they_implemented"
    assert matches[0].reasons[0].reuse is True


@pytest.fixture(scope="module")
def synthetic() -> tuple[MatchIndex, list[MatchOrganization]]:
    """600 organizations with 5,000 projects from the benchmark's generator, plus the
    Smart-Parking pair of the labelled set planted into it."""
    from benchmarks.bench_matching import organizations, projects

    rng = np.random.default_rng(7)
    orgs = organizations(rng, 600)
    items = projects(rng, orgs, 5_000)
    planted_orgs, planted_projects = _world()
    pair = [o for o in planted_orgs if o.id in (2, 7)]
    planted = [dataclasses.replace(o, id=o.id + 10_000) for o in pair]
    planted_items = [
        dataclasses.replace(p, id=p.id + 100_000, organization_id=p.organization_id + 10_000)
        for p in planted_projects
        if p.organization_id in (2, 7)
    ]
    return MatchIndex.build([*orgs, *planted], [*items, *planted_items]), orgs


def test_a_planted_pair_stands_out_among_600_synthetic_organizations(synthetic):
    index, _ = synthetic
    # Tuttlingen plans Smart Parking, Villingen-Schwenningen implemented it, 27 km apart.
    assert 10_002 in [s.organization_id for s in index.recommend(10_007, limit=3)]
    assert 10_007 in [s.organization_id for s in index.recommend(10_002, limit=3)]


@pytest.mark.parametrize("workers", [1, 2])
def test_recommend_all_agrees_with_recommend_across_chunks(synthetic, workers):
    index, orgs = synthetic
    everything = index.recommend_all(limit=5, workers=workers)
    assert len(everything) == len(orgs) + 2
    assert list(everything) == sorted(everything)  # by organization id, as the rows
    for organization in orgs[::37] + orgs[-3:]:
        assert everything[organization.id] == index.recommend(organization.id, limit=5)
