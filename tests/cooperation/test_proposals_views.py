"""The pages of the cooperation exchange: list, create, detail, edit and the actions."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from initiativek.cooperation.constants import JoinStatus, ProposalStatus
from initiativek.cooperation.models import CooperationProposal, JoinRequest
from initiativek.core.models import Topic
from initiativek.organizations.constants import OrganizationKind, RegionLevel
from initiativek.projects.constants import Publication
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.cooperation.factories import JoinRequestFactory, PostFactory, ProposalFactory
from tests.events.factories import ClosingStatementFactory, EventFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory, RegionFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def world():
    tuebingen = RegionFactory(key="084", level=RegionLevel.REGIERUNGSBEZIRK, name="Tübingen")
    freiburg = RegionFactory(key="083", level=RegionLevel.REGIERUNGSBEZIRK, name="Freiburg")
    kreis = RegionFactory(key="08335", level=RegionLevel.KREIS, name="Konstanz", parent=freiburg)
    ravensburg = OrganizationFactory(
        name="Ravensburg",
        slug="ravensburg",
        region=RegionFactory(key="08436064", name="Ravensburg", parent=tuebingen),
    )
    konstanz = OrganizationFactory(
        name="Konstanz",
        slug="konstanz",
        kind=OrganizationKind.GROSSE_KREISSTADT,
        region=RegionFactory(key="08335043", name="Konstanz", parent=kreis),
    )
    waiblingen = OrganizationFactory(name="Waiblingen", slug="waiblingen")
    return SimpleNamespace(
        ravensburg=ravensburg,
        konstanz=konstanz,
        waiblingen=waiblingen,
        kreis=kreis,
        editor=MembershipFactory(organization=ravensburg, editor=True).user,
        member=MembershipFactory(organization=ravensburg).user,
        konstanz_editor=MembershipFactory(organization=konstanz, editor=True).user,
        waiblingen_editor=MembershipFactory(organization=waiblingen, editor=True).user,
        team=UserFactory(is_staff=True),
    )


LIST = reverse("cooperation:list")


def _titles(response) -> list[str]:
    return [p.title for p in response.context["page"].object_list]


# The list


def test_anonymous_visitors_get_an_introduction_with_a_login_link(client):
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kooperationsbörse" in html
    assert reverse("account_login") in html


def test_the_list_shows_cards_with_status_members_and_topics(world):
    topic = Topic.objects.get(slug="eakte-dms")
    proposal = ProposalFactory(
        initiator=world.ravensburg, members=[world.konstanz], title="eAkte gemeinsam"
    )
    proposal.topics.add(topic)
    ProposalFactory(initiator=world.konstanz, status=ProposalStatus.ACTIVE, title="Läuft schon")
    html = client_for(world.editor).get(LIST).content.decode()
    assert "eAkte gemeinsam" in html and "Läuft schon" in html
    assert "2 beteiligte Organisationen" in html
    assert "offen – Partner gesucht" in html
    assert html.count("sucht Partner</span>") == 1
    assert topic.name.replace("&", "&amp;") in html
    assert reverse("cooperation:recommendations") in html
    assert reverse("cooperation:create") in html


def test_plain_members_are_not_offered_to_propose(world):
    html = client_for(world.member).get(LIST).content.decode()
    assert reverse("cooperation:create") not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "aktiv"}, ["Läuft schon"]),
        ({"thema": "eakte-dms"}, ["eAkte gemeinsam"]),
        ({"bezirk": "083"}, ["Läuft schon"]),
        ({"q": "EAKTE"}, ["eAkte gemeinsam"]),
        ({"q": "Bürgerbüro"}, ["Termine"]),
        ({"status": "unbekannt", "thema": "²", "bezirk": "999", "seite": "x"}, None),
    ],
)
def test_the_list_filters_and_ignores_unknown_values(world, query, expected):
    ProposalFactory(
        initiator=world.ravensburg, title="eAkte gemeinsam", summary="Einführung"
    ).topics.add(Topic.objects.get(slug="eakte-dms"))
    ProposalFactory(
        initiator=world.konstanz,
        status=ProposalStatus.ACTIVE,
        title="Läuft schon",
        summary="Parken",
    )
    ProposalFactory(initiator=world.ravensburg, title="Termine", summary="Für das Bürgerbüro")
    response = client_for(world.member).get(LIST, query)
    assert response.status_code == 200
    titles = _titles(response)
    assert sorted(titles) == sorted(expected or ["eAkte gemeinsam", "Läuft schon", "Termine"])


def test_the_list_is_paginated_with_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
):
    topic = Topic.objects.first()
    for number in range(25):
        proposal = ProposalFactory(initiator=world.ravensburg, title=f"Vorschlag {number:02}")
        proposal.topics.add(topic)
    client = client_for(world.member)
    with django_assert_max_num_queries(16):  # constant: no query per proposal
        first = client.get(LIST)
    assert len(first.context["page"].object_list) == 20
    second = client.get(LIST, {"seite": "2"})
    assert len(second.context["page"].object_list) == 5


# Creating


def _form_data(**overrides):
    data = {"title": "Gemeinsames Terminmanagement", "summary": "Wir schreiben gemeinsam aus."}
    data.update(overrides)
    return data


def test_an_editor_of_one_organization_gets_the_form_and_creates(world):
    url = reverse("cooperation:create")
    client = client_for(world.editor)
    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(topics=["eakte-dms"], wanted_kinds=["gemeinde"]))
    proposal = CooperationProposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.initiator == world.ravensburg
    assert list(proposal.topics.values_list("slug", flat=True)) == ["eakte-dms"]


def test_a_person_speaking_for_several_organizations_chooses_first(world):
    MembershipFactory(organization=world.konstanz, user=world.editor, editor=True)
    url = reverse("cooperation:create")
    client = client_for(world.editor)
    chooser = client.get(url, {"partner": "waiblingen"})
    html = chooser.content.decode()
    assert 'name="organisation"' in html
    assert 'value="waiblingen"' in html  # the partner is carried through the chooser
    assert "kern-error" not in html  # no "required" error before anything was chosen
    form = client.get(url, {"organisation": "konstanz"})
    assert form.context["initiator"] == world.konstanz
    client.post(f"{url}?organisation=konstanz", _form_data())
    assert CooperationProposal.objects.get().initiator == world.konstanz


def test_choosing_an_organization_one_does_not_speak_for_is_refused(world):
    MembershipFactory(organization=world.konstanz, user=world.editor, editor=True)
    response = client_for(world.editor).get(
        reverse("cooperation:create"), {"organisation": "waiblingen"}
    )
    assert "initiator" not in response.context
    assert "kern-error" in response.content.decode()


def test_proposing_for_a_recommended_partner_prefills_but_does_not_add_it(world):
    url = reverse("cooperation:create")
    client = client_for(world.editor)
    response = client.get(url, {"partner": "konstanz"})
    html = response.content.decode()
    assert "Vorgeschlagen für: Konstanz" in html
    assert re.search(r'value="grosse_kreisstadt"[^>]*checked', html)
    assert re.search(rf'<option value="{world.kreis.pk}" selected', html)
    form = response.context["form"]
    client.post(f"{url}?partner=konstanz", _form_data(description=form.initial["description"]))
    proposal = CooperationProposal.objects.get()
    assert list(proposal.members.values_list("organization__slug", flat=True)) == ["ravensburg"]


def test_unknown_partners_are_ignored(world):
    response = client_for(world.editor).get(reverse("cooperation:create"), {"partner": "²"})
    assert response.status_code == 200
    assert response.context["partner"] is None


@pytest.mark.parametrize("value", ["999999", "²", "99999999999999999999"])
def test_forged_project_ids_are_a_form_error_not_a_server_error(world, value):
    ProjectFactory(owner=world.ravensburg)
    ProjectFactory(owner=world.konstanz, pk=999999)
    response = client_for(world.editor).post(
        reverse("cooperation:create"), _form_data(projects=[value])
    )
    assert response.status_code == 200
    assert not CooperationProposal.objects.exists()


def test_projects_of_other_organizations_are_not_offered(world):
    own = ProjectFactory(owner=world.ravensburg, title="Eigenes Projekt")
    ProjectFactory(owner=world.konstanz, title="Fremdes Projekt")
    ProjectFactory(owner=world.ravensburg, title="Entwurf", draft=True)
    html = client_for(world.editor).get(reverse("cooperation:create")).content.decode()
    assert "Eigenes Projekt" in html
    assert "Fremdes Projekt" not in html and ">Entwurf (" not in html
    response = client_for(world.editor).post(
        reverse("cooperation:create"), _form_data(projects=[str(own.pk)])
    )
    assert response.status_code == 302


# The detail page


def test_the_initiators_editor_sees_management_and_pending_requests(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    JoinRequestFactory(proposal=proposal, organization=world.konstanz, message="Nehmt uns!")
    html = client_for(world.editor).get(proposal.get_absolute_url()).content.decode()
    assert reverse("cooperation:edit", kwargs={"slug": proposal.slug}) in html
    assert 'value="in_gruendung"' in html and 'value="abgeschlossen"' in html
    assert 'value="aktiv"' not in html  # not allowed from "open"
    assert "Nehmt uns!" in html and "Annehmen" in html


def test_other_editors_can_ask_to_join_and_then_see_their_request(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    client = client_for(world.waiblingen_editor)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert reverse("cooperation:join", kwargs={"slug": proposal.slug}) in html
    assert reverse("cooperation:edit", kwargs={"slug": proposal.slug}) not in html
    response = client.post(
        reverse("cooperation:join", kwargs={"slug": proposal.slug}),
        {"organization": "waiblingen", "message": "Wir sind dabei."},
    )
    assert response.status_code == 302
    html = client.get(proposal.get_absolute_url()).content.decode()
    request = JoinRequest.objects.get()
    assert "Zurückziehen" in html
    assert reverse("cooperation:join", kwargs={"slug": proposal.slug}) not in html
    client.post(
        reverse("cooperation:join-withdraw", kwargs={"slug": proposal.slug, "pk": request.pk})
    )
    request.refresh_from_db()
    assert request.status == JoinStatus.WITHDRAWN


def test_joining_twice_through_the_page_shows_a_clear_message(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    JoinRequestFactory(proposal=proposal, organization=world.waiblingen)
    response = client_for(world.waiblingen_editor).post(
        reverse("cooperation:join", kwargs={"slug": proposal.slug}),
        {"organization": "waiblingen", "message": "Noch einmal"},
    )
    assert response.status_code == 200
    assert "bereits eine offene Beitrittsanfrage" in response.content.decode()


def test_a_join_request_without_a_message_comes_back_with_the_error(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    response = client_for(world.waiblingen_editor).post(
        reverse("cooperation:join", kwargs={"slug": proposal.slug}),
        {"organization": "waiblingen", "message": ""},
    )
    assert response.status_code == 200
    assert "kern-error" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_accepting_says_that_the_status_stays_the_initiators_choice(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    request = JoinRequestFactory(proposal=proposal, organization=world.konstanz)
    client = client_for(world.editor)
    response = client.post(
        reverse("cooperation:join-decide", kwargs={"slug": proposal.slug, "pk": request.pk}),
        {f"r{request.pk}-decision": "annehmen", f"r{request.pk}-note": "Willkommen"},
        follow=True,
    )
    html = response.content.decode()
    assert "Konstanz ist jetzt an der Kooperation beteiligt" in html
    assert "in Gründung" in html
    assert proposal.members.filter(organization=world.konstanz).exists()


def test_deciding_twice_through_the_page_shows_a_message(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    request = JoinRequestFactory(
        proposal=proposal, organization=world.konstanz, status=JoinStatus.DECLINED
    )
    response = client_for(world.editor).post(
        reverse("cooperation:join-decide", kwargs={"slug": proposal.slug, "pk": request.pk}),
        {f"r{request.pk}-decision": "annehmen"},
        follow=True,
    )
    assert "bereits entschieden" in response.content.decode()


def test_a_refused_status_change_through_the_page_shows_the_possible_ones(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    response = client_for(world.editor).post(
        reverse("cooperation:status", kwargs={"slug": proposal.slug}),
        {"status": "aktiv"},
        follow=True,
    )
    assert "nur: „in Gründung“, „abgeschlossen“" in response.content.decode()


def test_the_thread_is_for_participants_and_the_team(world):
    proposal = ProposalFactory(initiator=world.ravensburg, members=[world.konstanz])
    PostFactory(proposal=proposal, text="Geheimer **Plan**")
    participant = client_for(world.konstanz_editor).get(proposal.get_absolute_url())
    assert "Geheimer <strong>Plan</strong>" in participant.content.decode()
    assert participant.context["post_form"] is not None
    outsider = client_for(world.waiblingen_editor).get(proposal.get_absolute_url())
    html = outsider.content.decode()
    assert "Geheimer" not in html
    assert "Die Diskussion sehen die beteiligten Organisationen" in html
    team = client_for(world.team).get(proposal.get_absolute_url())
    assert "Geheimer" in team.content.decode()
    assert team.context["post_form"] is None


def test_posting_through_the_page(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    client = client_for(world.member)
    response = client.post(
        reverse("cooperation:post-create", kwargs={"slug": proposal.slug}),
        {"organization": "ravensburg", "text": "Hallo"},
    )
    post = proposal.posts.get()
    assert response["Location"].endswith(f"#beitrag-{post.pk}")
    empty = client.post(
        reverse("cooperation:post-create", kwargs={"slug": proposal.slug}),
        {"organization": "ravensburg", "text": ""},
    )
    assert empty.status_code == 200 and "kern-error" in empty.content.decode()


def test_linked_projects_are_shown_only_to_those_who_may_see_them(world):
    project = ProjectFactory(owner=world.ravensburg, title="Internes Projekt")
    proposal = ProposalFactory(initiator=world.ravensburg)
    proposal.projects.add(project)
    assert (
        "Internes Projekt"
        in client_for(world.konstanz_editor).get(proposal.get_absolute_url()).content.decode()
    )
    project.publication = Publication.DRAFT
    project.save()
    assert (
        "Internes Projekt"
        not in client_for(world.konstanz_editor).get(proposal.get_absolute_url()).content.decode()
    )
    assert (
        "Internes Projekt"
        in client_for(world.editor).get(proposal.get_absolute_url()).content.decode()
    )


def test_a_member_organization_leaves_through_the_page(world):
    proposal = ProposalFactory(initiator=world.ravensburg, members=[world.konstanz])
    client = client_for(world.konstanz_editor)
    assert (
        "Aus der Kooperation austreten" in client.get(proposal.get_absolute_url()).content.decode()
    )
    client.post(
        reverse("cooperation:leave", kwargs={"slug": proposal.slug}), {"organization": "konstanz"}
    )
    assert not proposal.members.filter(organization=world.konstanz).exists()


def test_the_detail_page_needs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    proposal = ProposalFactory(initiator=world.ravensburg, members=[world.konstanz])
    for _ in range(5):
        PostFactory(proposal=proposal, author=world.editor)
        JoinRequestFactory(proposal=proposal, organization=OrganizationFactory())
    client = client_for(world.editor)
    with django_assert_max_num_queries(26):  # constant: none per post or request
        assert client.get(proposal.get_absolute_url()).status_code == 200


# Editing


def test_the_edit_form_is_prefilled_and_saves(world):
    proposal = ProposalFactory(initiator=world.ravensburg, wanted_kinds=["gemeinde"])
    url = reverse("cooperation:edit", kwargs={"slug": proposal.slug})
    client = client_for(world.editor)
    html = client.get(url).content.decode()
    assert proposal.title in html
    assert re.search(r'value="gemeinde"[^>]*checked', html)
    response = client.post(url, _form_data(title="Neuer Titel", wanted_kinds=["stadt"]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.wanted_kinds) == ("Neuer Titel", ["stadt"])


def test_a_closed_proposal_is_not_edited(world):
    proposal = ProposalFactory(initiator=world.ravensburg, status=ProposalStatus.CLOSED)
    url = reverse("cooperation:edit", kwargs={"slug": proposal.slug})
    assert client_for(world.editor).get(url).status_code == 302


# Regierungsbezirk filter, statements' events, closed proposals, declines, unpublished projects


def test_the_bezirk_filter_finds_initiators_by_their_ags_without_a_region(world):
    tuebingen_town = OrganizationFactory(name="Tübingen", ags="08416041", region=None)
    ProposalFactory(initiator=tuebingen_town, title="Nach AGS")
    ProposalFactory(initiator=world.ravensburg, title="Nach Gebiet")  # region 084…, no AGS
    ProposalFactory(initiator=world.konstanz, title="Freiburger")
    client = client_for(world.member)
    assert sorted(_titles(client.get(LIST, {"bezirk": "084"}))) == ["Nach AGS", "Nach Gebiet"]
    assert _titles(client.get(LIST, {"bezirk": "083"})) == ["Freiburger"]


@pytest.mark.parametrize("draft", [True, False], ids=["draft", "published"])
def test_the_source_events_title_is_shown_only_to_those_who_may_see_the_event(world, draft):
    event = EventFactory(title="Geheimes Treffen", draft=draft)
    statement = ClosingStatementFactory(event=event, organization=world.ravensburg)
    proposal = ProposalFactory(initiator=world.ravensburg, source_statement=statement)
    html = client_for(world.konstanz_editor).get(proposal.get_absolute_url()).content.decode()
    assert ("Geheimes Treffen" in html) is not draft
    assert ("bei einer Veranstaltung" in html) is draft
    team_html = client_for(world.team).get(proposal.get_absolute_url()).content.decode()
    assert "Geheimes Treffen" in team_html


def test_the_create_page_ignores_forged_member_organizations(world):
    client_for(world.editor).post(
        reverse("cooperation:create"), _form_data(member_organizations=["konstanz"])
    )
    proposal = CooperationProposal.objects.get()
    assert list(proposal.members.values_list("organization__slug", flat=True)) == ["ravensburg"]


def test_a_closed_cooperation_offers_no_leaving_and_refuses_it(world):
    proposal = ProposalFactory(
        initiator=world.ravensburg, members=[world.konstanz], status=ProposalStatus.CLOSED
    )
    client = client_for(world.konstanz_editor)
    assert "Aus der Kooperation austreten" not in (
        client.get(proposal.get_absolute_url()).content.decode()
    )
    response = client.post(
        reverse("cooperation:leave", kwargs={"slug": proposal.slug}),
        {"organization": "konstanz"},
        follow=True,
    )
    assert "Austreten ist nicht mehr möglich" in response.content.decode()
    assert proposal.members.filter(organization=world.konstanz).exists()


def test_after_a_recent_decline_the_page_says_when_to_ask_again(world):
    proposal = ProposalFactory(initiator=world.ravensburg)
    join = reverse("cooperation:join", kwargs={"slug": proposal.slug})
    declined = JoinRequestFactory(
        proposal=proposal,
        organization=world.waiblingen,
        status=JoinStatus.DECLINED,
        decided_at=timezone.now() - timedelta(days=2),
    )
    client = client_for(world.waiblingen_editor)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Eine neue Anfrage ist ab dem" in html
    assert join not in html
    declined.decided_at = timezone.now() - timedelta(days=40)
    declined.save()
    assert join in client.get(proposal.get_absolute_url()).content.decode()


def test_editing_keeps_and_marks_a_linked_project_that_is_no_longer_published(world):
    project = ProjectFactory(owner=world.ravensburg, title="Zurückgezogenes Projekt")
    proposal = ProposalFactory(initiator=world.ravensburg)
    proposal.projects.add(project)
    project.publication = Publication.DRAFT
    project.save()
    url = reverse("cooperation:edit", kwargs={"slug": proposal.slug})
    client = client_for(world.editor)
    html = client.get(url).content.decode()
    assert "Zurückgezogenes Projekt (Ravensburg) – nicht mehr veröffentlicht" in html
    assert re.search(rf'value="{project.pk}"[^>]*checked', html)
    response = client.post(url, _form_data(projects=[str(project.pk)]))
    assert response.status_code == 302
    assert list(proposal.projects.all()) == [project]
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "nicht mehr veröffentlicht" in detail
