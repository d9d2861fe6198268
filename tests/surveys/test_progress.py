"""The team's progress overview and the reminder e-mail (issue 5, item 5)."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from initiativek.core.models import AuditEntry
from initiativek.organizations.constants import OrganizationKind
from initiativek.surveys import permissions, selectors_progress
from initiativek.surveys.constants import ProgressState
from initiativek.surveys.services_progress import questionnaire_remind
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory, OrganizationFactory
from tests.surveys.factories import QuestionnaireFactory, ResponseFactory


@pytest.fixture
def questionnaire(db):
    return QuestionnaireFactory(
        title="Verwaltung im Homeoffice", slug="homeoffice", closes_on=date(2099, 1, 31)
    )


@pytest.fixture
def world(questionnaire):
    """Hand-built audience: Aalen (not started, editor), Biberach (draft, admin), Calw
    (submitted, editor), Dornstadt (not started, only a plain member) – and outside the
    audience a partner company and a non-member town, both with editors."""
    orgs = {
        "aalen": OrganizationFactory(name="Aalen", slug="aalen"),
        "biberach": OrganizationFactory(name="Biberach", slug="biberach"),
        "calw": OrganizationFactory(name="Calw", slug="calw"),
        "dornstadt": OrganizationFactory(
            name="Dornstadt", slug="dornstadt", kind=OrganizationKind.GEMEINDE
        ),
        "partner": OrganizationFactory(
            name="Beratung GmbH", slug="beratung", kind=OrganizationKind.PARTNER
        ),
        "outsider": OrganizationFactory(name="Eislingen", slug="eislingen", not_member=True),
    }
    people = {
        "aalen_editor": MembershipFactory(organization=orgs["aalen"], editor=True).user,
        "aalen_member": MembershipFactory(organization=orgs["aalen"]).user,
        "biberach_admin": MembershipFactory(organization=orgs["biberach"], admin=True).user,
        "calw_editor": MembershipFactory(organization=orgs["calw"], editor=True).user,
        "dornstadt_member": MembershipFactory(organization=orgs["dornstadt"]).user,
        "partner_editor": MembershipFactory(organization=orgs["partner"], editor=True).user,
        "outsider_editor": MembershipFactory(organization=orgs["outsider"], editor=True).user,
    }
    editor_name = people["biberach_admin"]
    ResponseFactory(
        questionnaire=questionnaire, organization=orgs["biberach"], updated_by=editor_name
    )
    ResponseFactory(
        questionnaire=questionnaire,
        organization=orgs["calw"],
        submitted=True,
        submitted_by=people["calw_editor"],
        updated_by=people["calw_editor"],
    )
    ResponseFactory(questionnaire=questionnaire, organization=orgs["partner"])
    return {**orgs, **people}


def _url(name, questionnaire, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"slug": questionnaire.slug, **kwargs})


# --- the overview ---------------------------------------------------------------------------


def test_totals_count_each_state_of_the_audience_only(questionnaire, world):
    totals = selectors_progress.progress_totals(questionnaire=questionnaire)

    assert (totals.total, totals.not_started, totals.draft, totals.submitted) == (4, 2, 1, 1)
    assert totals.unreachable == 1  # Dornstadt: nobody who could answer
    assert totals.submitted_percent == 25
    assert totals.pending == 3


def test_each_organization_has_its_state_and_whether_someone_can_answer(questionnaire, world):
    rows = selectors_progress.progress_rows(
        selectors_progress.progress_list(questionnaire=questionnaire)
    )

    assert [(r.organization.name, r.state, r.has_answerers) for r in rows] == [
        ("Aalen", ProgressState.NOT_STARTED, True),
        ("Biberach", ProgressState.DRAFT, True),
        ("Calw", ProgressState.SUBMITTED, True),
        ("Dornstadt", ProgressState.NOT_STARTED, False),
    ]
    assert rows[0].response is None
    assert rows[1].response.updated_by == world["biberach_admin"]
    assert rows[2].response.submitted_by == world["calw_editor"]


def test_the_audience_queryset_follows_the_audience_rule(questionnaire, world):
    landkreis = OrganizationFactory(kind=OrganizationKind.LANDKREIS)
    inactive_editor = MembershipFactory(organization=landkreis, editor=True).user
    inactive_editor.is_active = False
    inactive_editor.save()
    candidates = [*(world[key] for key in ("aalen", "dornstadt", "partner", "outsider")), landkreis]
    for kinds in (
        [],
        [OrganizationKind.STADT, OrganizationKind.PARTNER],
        [OrganizationKind.LANDKREIS],
    ):
        questionnaire.audience_kinds = kinds
        audience = set(selectors_progress.progress_audience(questionnaire=questionnaire))
        expected = {org for org in candidates if permissions.is_in_audience(questionnaire, org)}
        assert audience & set(candidates) == expected
    landkreis_row = selectors_progress.progress_audience(questionnaire=questionnaire).get()
    assert landkreis_row.has_answerers is False  # its only editor is deactivated


def test_the_list_filters_by_state_and_searches_by_name(questionnaire, world):
    def names(**params):
        filters = selectors_progress.ProgressFilters.from_query(params)
        organizations = selectors_progress.progress_list(
            questionnaire=questionnaire, filters=filters
        )
        return [organization.name for organization in organizations]

    assert names(status="not_started") == ["Aalen", "Dornstadt"]
    assert names(status="submitted") == ["Calw"]
    assert names(status="erfunden") == ["Aalen", "Biberach", "Calw", "Dornstadt"]
    assert names(q="  BIBER ") == ["Biberach"]
    assert names(q="a", status="draft") == ["Biberach"]


def test_the_team_sees_the_overview_with_states_names_and_unreachable_note(
    client, questionnaire, world, team_user
):
    response = client_for(team_user).get(_url("progress", questionnaire))

    assert response.status_code == 200
    html = response.content.decode()
    assert "1 von 4 Organisationen der Zielgruppe haben abgeschickt (25 %)" in html
    assert 'max="4" value="1"' in html
    assert reverse("organizations:detail", kwargs={"slug": "aalen"}) in html
    assert "Beratung GmbH" not in html and "Eislingen" not in html
    assert "keine Redaktion – nicht erreichbar, bitte Mitglieder einladen" in html
    assert world["biberach_admin"].name in html
    assert "Entwurf gespeichert" in html


def test_the_overview_filters_by_the_url(client, questionnaire, world, team_user):
    html = (
        client_for(team_user)
        .get(_url("progress", questionnaire), {"status": "submitted"})
        .content.decode()
    )

    assert "Calw" in html and ">Aalen<" not in html


def test_a_long_audience_is_paginated_by_fifty(client, questionnaire, team_user):
    OrganizationFactory.create_batch(55)
    client = client_for(team_user)

    first = client.get(_url("progress", questionnaire))
    second = client.get(_url("progress", questionnaire), {"seite": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 5
    assert "Seite 1 von 2" in first.content.decode()


def _progress_queries(client, questionnaire) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("progress", questionnaire)).status_code == 200
    return len(queries)


def test_the_overview_needs_the_same_queries_however_many_organizations(
    client, questionnaire, team_user
):
    client = client_for(team_user)

    def add(count):
        for organization in OrganizationFactory.create_batch(count):
            MembershipFactory(organization=organization, editor=True)
            ResponseFactory(
                questionnaire=questionnaire, organization=organization, updated_by=UserFactory()
            )

    add(2)
    few = _progress_queries(client, questionnaire)
    add(12)
    many = _progress_queries(client, questionnaire)

    assert few == many


@pytest.mark.parametrize("name", ["progress", "remind"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("member", 403), ("editor", 403), ("team", 200)],
)
def test_only_the_team_sees_progress_and_reminder(
    client, questionnaire, world, who, expected, name
):
    users = {
        "member": world["aalen_member"],
        "editor": world["aalen_editor"],
        "team": UserFactory(is_staff=True),
    }
    client = client_for(users[who]) if who in users else client

    response = client.get(_url(name, questionnaire))

    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


def test_a_draft_questionnaire_is_not_found_for_members(client, world):
    draft = QuestionnaireFactory(draft=True)

    response = client_for(world["aalen_editor"]).get(_url("progress", draft))

    assert response.status_code == 404


# --- the reminder ---------------------------------------------------------------------------


def test_reminder_goes_once_to_each_editor_and_admin_of_pending_audience_organizations(
    questionnaire, world, outbox
):
    team = UserFactory(is_staff=True)
    both = UserFactory(name="Doppel Rolle")
    MembershipFactory(organization=world["aalen"], user=both, editor=True)
    MembershipFactory(organization=world["biberach"], user=both, admin=True)
    gone = MembershipFactory(organization=world["aalen"], editor=True).user
    gone.is_active = False
    gone.save()

    result = questionnaire_remind(questionnaire=questionnaire, user=team)

    recipients = sorted(address for message in outbox for address in message.to)
    assert recipients == sorted(
        [world["aalen_editor"].email, world["biberach_admin"].email, both.email]
    )
    assert (result.organizations, result.recipients, result.unreachable) == (2, 3, 1)
    [mail_for_both] = [message for message in outbox if message.to == [both.email]]
    assert "Aalen" in mail_for_both.body and "Biberach" in mail_for_both.body
    entry = AuditEntry.objects.get(action="surveys.questionnaire.reminded")
    assert entry.actor == team
    assert entry.data == {"organizations": 2, "recipients": 3, "unreachable": 1, "chosen": False}
    questionnaire.refresh_from_db()
    assert questionnaire.last_reminder_at is not None


def test_reminder_mail_names_questionnaire_close_date_state_and_link(questionnaire, world, outbox):
    questionnaire_remind(questionnaire=questionnaire, user=UserFactory(is_staff=True))

    [message] = [m for m in outbox if m.to == [world["biberach_admin"].email]]
    assert "Verwaltung im Homeoffice" in message.subject
    assert "bis 31. Januar 2099" in message.subject
    assert "bis 31. Januar 2099" in message.body
    assert "Biberach: Entwurf gespeichert, noch nicht abgeschickt" in message.body
    link = settings.SITE_URL + reverse(
        "surveys:answer", kwargs={"slug": "homeoffice", "org_slug": "biberach"}
    )
    assert link in message.body
    [other] = [m for m in outbox if m.to == [world["aalen_editor"].email]]
    assert "Aalen: noch nicht begonnen" in other.body


def test_reminder_to_chosen_organizations_reaches_only_them(questionnaire, world, outbox):
    result = questionnaire_remind(
        questionnaire=questionnaire,
        user=UserFactory(is_staff=True),
        organization_ids=[world["biberach"].pk],
    )

    assert [message.to for message in outbox] == [[world["biberach_admin"].email]]
    assert result.organizations == 1


@pytest.mark.parametrize("forged", ["calw", "partner", "outsider", "nonexistent"])
def test_reminder_to_an_organization_that_may_not_be_reminded_sends_nothing(
    questionnaire, world, outbox, forged
):
    forged_id = world[forged].pk if forged in world else 999_999

    with pytest.raises(ValidationError, match="nicht zur Zielgruppe"):
        questionnaire_remind(
            questionnaire=questionnaire,
            user=UserFactory(is_staff=True),
            organization_ids=[world["aalen"].pk, forged_id],
        )

    assert outbox == []
    assert not AuditEntry.objects.filter(action="surveys.questionnaire.reminded").exists()


def test_reminder_for_a_closed_questionnaire_is_refused(world, outbox):
    closed = QuestionnaireFactory(closed=True)

    with pytest.raises(ValidationError, match="solange der Fragebogen offen ist"):
        questionnaire_remind(questionnaire=closed, user=UserFactory(is_staff=True))

    assert outbox == []
    closed.refresh_from_db()
    assert closed.last_reminder_at is None


def test_reminder_with_nobody_to_write_to_is_refused(questionnaire, outbox):
    OrganizationFactory()  # in the audience, but without editors

    with pytest.raises(ValidationError, match="Niemand kann erinnert werden"):
        questionnaire_remind(questionnaire=questionnaire, user=UserFactory(is_staff=True))

    assert outbox == []


def test_only_the_team_may_remind(questionnaire, world):
    with pytest.raises(PermissionDenied):
        questionnaire_remind(questionnaire=questionnaire, user=world["aalen_editor"])


def test_the_reminder_page_asks_for_confirmation_and_sends_on_post(questionnaire, world, outbox):
    client = client_for(UserFactory(is_staff=True))

    page = client.get(_url("remind", questionnaire))
    assert "Die Erinnerung geht per E-Mail an 2 Personen" in page.content.decode()
    assert outbox == []

    response = client.post(_url("remind", questionnaire), {"zuletzt": ""}, follow=True)

    assert response.redirect_chain[-1][0] == _url("progress", questionnaire)
    assert "Die Erinnerung geht an 2 Personen." in response.content.decode()
    assert len(outbox) == 2
    assert "Zuletzt erinnert am" in response.content.decode()


def test_the_page_warns_about_a_reminder_less_than_a_day_ago_but_still_sends(
    questionnaire, world, outbox
):
    client = client_for(UserFactory(is_staff=True))
    questionnaire_remind(questionnaire=questionnaire, user=UserFactory(is_staff=True))
    outbox.clear()
    questionnaire.refresh_from_db()

    page = client.get(_url("remind", questionnaire)).content.decode()
    assert "weniger als 24 Stunden" in page
    assert "Trotzdem jetzt erinnern" in page

    client.post(
        _url("remind", questionnaire),
        {"zuletzt": questionnaire.last_reminder_at.isoformat()},
    )
    assert len(outbox) == 2


def test_a_reminder_sent_meanwhile_by_someone_else_asks_again(questionnaire, world, outbox):
    client = client_for(UserFactory(is_staff=True))
    questionnaire_remind(questionnaire=questionnaire, user=UserFactory(is_staff=True))
    outbox.clear()

    response = client.post(_url("remind", questionnaire), {"zuletzt": ""})

    assert response.status_code == 200
    assert "Inzwischen wurde eine Erinnerung verschickt" in response.content.decode()
    assert outbox == []


def test_the_page_reminds_the_chosen_organizations(questionnaire, world, outbox):
    client = client_for(UserFactory(is_staff=True))
    chosen = {"auswahl": "1", "organisation": [world["aalen"].pk]}

    page = client.get(_url("remind", questionnaire), chosen).content.decode()
    assert "1 Organisation wird erinnert" in page
    client.post(_url("remind", questionnaire), {**chosen, "zuletzt": ""})

    assert [message.to for message in outbox] == [[world["aalen_editor"].email]]


@pytest.mark.parametrize("value", ["calw", "kaputt"])
def test_the_page_refuses_a_forged_organization(questionnaire, world, outbox, value):
    client = client_for(UserFactory(is_staff=True))
    forged = world[value].pk if value in world else value
    data = {"auswahl": "1", "organisation": [forged], "zuletzt": ""}

    shown = client.get(_url("remind", questionnaire), data, follow=True).content.decode()
    sent = client.post(_url("remind", questionnaire), data, follow=True).content.decode()

    assert "gehört nicht zur Zielgruppe" in shown
    assert "gehört nicht zur Zielgruppe" in sent
    assert outbox == []


def test_choosing_nobody_asks_to_choose(questionnaire, world, outbox):
    client = client_for(UserFactory(is_staff=True))

    response = client.get(_url("remind", questionnaire), {"auswahl": "1"}, follow=True)

    assert "Bitte wählen Sie mindestens eine Organisation aus." in response.content.decode()


def test_reminder_is_recent_for_24_hours():
    questionnaire = QuestionnaireFactory.build(last_reminder_at=timezone.now())
    later = questionnaire.last_reminder_at + timedelta(hours=24)

    assert selectors_progress.reminder_is_recent(questionnaire=questionnaire)
    assert not selectors_progress.reminder_is_recent(questionnaire=questionnaire, now=later)
    assert not selectors_progress.reminder_is_recent(questionnaire=QuestionnaireFactory.build())


def test_a_closed_questionnaire_shows_progress_but_offers_no_reminder(client, world):
    closed = QuestionnaireFactory(closed=True)
    client = client_for(UserFactory(is_staff=True))

    overview = client.get(_url("progress", closed)).content.decode()
    confirmation = client.get(_url("remind", closed)).content.decode()

    assert "Aalen" in overview and 'name="organisation"' not in overview
    assert "solange der Fragebogen offen ist" in overview
    assert "solange der Fragebogen offen ist" in confirmation
    assert "Jetzt erinnern" not in confirmation
