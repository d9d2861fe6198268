"""Follow-up on closing statements that have not become a proposal."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from initiativek.cooperation import selectors, services
from initiativek.cooperation.models import StatementFollowUp
from initiativek.core.constants import NotificationKind
from initiativek.core.models import Notification, NotificationPreference
from initiativek.events.models import ClosingStatement
from initiativek.organizations.constants import OrganizationKind
from tests.conftest import client_for
from tests.cooperation.factories import ProposalFactory
from tests.events.factories import ClosingStatementFactory, EventFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory


def _statement(*, event_days_ago: int, recorded_days_ago: int | None = None, **kwargs):
    """A statement at an event that ended ``event_days_ago``, recorded at the event unless
    ``recorded_days_ago`` says otherwise."""
    starts = timezone.now() - timedelta(days=event_days_ago, hours=2)
    event = kwargs.pop("event", None) or EventFactory(
        starts_at=starts, ends_at=starts + timedelta(hours=2)
    )
    statement = ClosingStatementFactory(event=event, **kwargs)
    recorded = timezone.now() - timedelta(
        days=event_days_ago if recorded_days_ago is None else recorded_days_ago
    )
    ClosingStatement.objects.filter(pk=statement.pk).update(created_at=recorded)
    statement.refresh_from_db()
    return statement


@pytest.fixture
def town(db):
    town = OrganizationFactory(name="Konstanz")
    town.editor = MembershipFactory(organization=town, editor=True).user
    town.admin = MembershipFactory(organization=town, admin=True).user
    town.member = MembershipFactory(organization=town).user
    return town


def test_statements_older_than_the_setting_without_proposal_are_due(town, settings):
    settings.COOPERATION_FOLLOWUP_WEEKS = 6
    due = _statement(event_days_ago=43, organization=town)
    _statement(event_days_ago=41, organization=town)  # not yet six weeks
    _statement(event_days_ago=60, recorded_days_ago=10, organization=town)  # recorded late
    turned = _statement(event_days_ago=60, organization=town)
    ProposalFactory(initiator=town, source_statement=turned)
    assert list(selectors.statement_list_for_followup()) == [due]


def test_the_weeks_come_from_the_settings(town, settings):
    statement = _statement(event_days_ago=10, organization=town)
    settings.COOPERATION_FOLLOWUP_WEEKS = 1
    assert list(selectors.statement_list_for_followup()) == [statement]
    settings.COOPERATION_FOLLOWUP_WEEKS = 2
    assert list(selectors.statement_list_for_followup()) == []


def test_statements_of_events_not_yet_past_or_undated_are_not_due(town, settings):
    settings.COOPERATION_FOLLOWUP_WEEKS = 1
    future = EventFactory()  # in two weeks
    undated = EventFactory(undated=True)
    for event in (future, undated):
        statement = ClosingStatementFactory(event=event, organization=town)
        ClosingStatement.objects.filter(pk=statement.pk).update(
            created_at=timezone.now() - timedelta(weeks=8)
        )
    assert list(selectors.statement_list_for_followup()) == []


def test_a_reminder_tells_the_editors_and_admins_and_is_recorded(town, team_user):
    statement = _statement(event_days_ago=60, organization=town)
    told = services.statement_followup_remind(statement=statement, actor=team_user)
    assert told == 2
    notified = Notification.objects.filter(kind=NotificationKind.STATEMENT_FOLLOWUP)
    assert set(notified.values_list("user", flat=True)) == {town.editor.pk, town.admin.pk}
    assert notified.first().url == reverse(
        "cooperation:from-statement", kwargs={"pk": statement.pk}
    )
    followup = StatementFollowUp.objects.get()
    assert (followup.statement, followup.reminded_by) == (statement, team_user)


def test_the_reminder_mail_links_to_the_one_step_form(outbox):
    town = OrganizationFactory(name="Konstanz")
    editor = MembershipFactory(organization=town, editor=True).user
    quiet = MembershipFactory(organization=town, admin=True).user
    NotificationPreference.objects.create(
        user=quiet, kind=NotificationKind.STATEMENT_FOLLOWUP, email=False
    )
    statement = _statement(event_days_ago=60, organization=town, text="Konstanz will teilen.")
    services.statement_followup_remind(statement=statement)
    assert [mail.to for mail in outbox] == [[editor.email]]
    url = reverse("cooperation:from-statement", kwargs={"pk": statement.pk})
    assert url in outbox[0].body
    assert "„Konstanz will teilen.“" in outbox[0].body
    assert Notification.objects.filter(user=quiet).exists()


def test_only_the_team_reminds_by_hand(town):
    statement = _statement(event_days_ago=60, organization=town)
    with pytest.raises(PermissionDenied):
        services.statement_followup_remind(statement=statement, actor=town.editor)
    assert not StatementFollowUp.objects.exists()


def test_the_command_reminds_each_due_statement_once(town, settings):
    settings.COOPERATION_FOLLOWUP_WEEKS = 6
    first = _statement(event_days_ago=50, organization=town)
    second = _statement(event_days_ago=70, organization=town)
    _statement(event_days_ago=5, organization=town)
    out = StringIO()
    call_command("cooperation_followup", stdout=out)
    assert "2" in out.getvalue()
    assert set(StatementFollowUp.objects.values_list("statement", flat=True)) == {
        first.pk,
        second.pk,
    }
    count = Notification.objects.count()
    call_command("cooperation_followup", stdout=StringIO())
    assert Notification.objects.count() == count  # idempotent
    assert services.statement_followup_remind_due() == 0


def test_the_team_page_lists_due_statements_with_the_reminder_date(town, team_user):
    reminded = _statement(event_days_ago=60, organization=town, text="Erinnert schon.")
    services.statement_followup_remind(statement=reminded)
    _statement(event_days_ago=60, organization=town, text="Noch nicht erinnert.")
    html = client_for(team_user).get(reverse("cooperation:followup")).content.decode()
    assert "Erinnert schon." in html and "Noch nicht erinnert." in html
    assert "noch nicht" in html
    assert html.count('name="erinnern"') == 2


def test_jetzt_erinnern_reminds_again(town, team_user):
    statement = _statement(event_days_ago=60, organization=town)
    services.statement_followup_remind(statement=statement)
    StatementFollowUp.objects.update(reminded_at=timezone.now() - timedelta(days=20))
    response = client_for(team_user).post(
        reverse("cooperation:followup"), {"erinnern": str(statement.pk)}
    )
    assert response.status_code == 302
    followup = StatementFollowUp.objects.get()
    assert followup.reminded_at > timezone.now() - timedelta(minutes=1)
    assert followup.reminded_by == team_user


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "abc", ""])
def test_odd_ids_on_the_team_page_never_cause_a_server_error(town, team_user, value):
    response = client_for(team_user).post(reverse("cooperation:followup"), {"erinnern": value})
    assert response.status_code in (200, 404)


def test_a_statement_that_is_not_due_cannot_be_reminded_through_the_page(town, team_user):
    fresh = _statement(event_days_ago=2, organization=town)
    response = client_for(team_user).post(
        reverse("cooperation:followup"), {"erinnern": str(fresh.pk)}
    )
    assert response.status_code == 404
    assert not StatementFollowUp.objects.exists()


def test_non_team_members_cannot_open_the_follow_up(town):
    response = client_for(town.editor).get(reverse("cooperation:followup"))
    assert response.status_code == 403
    assert "Team" in response.content.decode()


def test_the_team_page_needs_no_more_queries_for_more_statements(
    town, team_user, django_assert_max_num_queries
):
    for _ in range(5):
        _statement(event_days_ago=60, organization=town, event=None)
    client = client_for(team_user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("cooperation:followup")).status_code == 200


def test_statements_of_partner_companies_are_not_followed_up(town, settings):
    settings.COOPERATION_FOLLOWUP_WEEKS = 1
    partner = OrganizationFactory(name="NCP", kind=OrganizationKind.PARTNER)
    _statement(event_days_ago=30, organization=partner)
    assert list(selectors.statement_list_for_followup()) == []


def test_the_scheduled_event_housekeeping_also_reminds_due_statements(town, settings):
    """Operators schedule ``event_housekeeping`` only; it covers the follow-up too."""
    settings.COOPERATION_FOLLOWUP_WEEKS = 6
    due = _statement(event_days_ago=50, organization=town)
    fresh = _statement(event_days_ago=5, organization=town)
    out = StringIO()
    call_command("event_housekeeping", stdout=out)
    assert "1 Erinnerungen an Abschluss-Statements" in out.getvalue()
    assert list(StatementFollowUp.objects.values_list("statement", flat=True)) == [due.pk]
    assert not StatementFollowUp.objects.filter(statement=fresh).exists()
    call_command("event_housekeeping", stdout=StringIO())
    assert StatementFollowUp.objects.count() == 1  # nobody twice


def test_the_team_page_table_is_responsive_with_the_organization_as_row_header(town, team_user):
    _statement(event_days_ago=60, organization=town)
    html = client_for(team_user).get(reverse("cooperation:followup")).content.decode()
    assert '<div class="kern-table-responsive">' in html
    assert '<thead class="kern-table__header">' in html
    first_cell = re.search(
        r'<tr class="kern-table__row">\s*<(t[hd])([^>]*)>([^<]*)<', html.split("<tbody")[1]
    )
    assert first_cell.group(1) == "th" and 'scope="row"' in first_cell.group(2)
    assert first_cell.group(3) == "Konstanz"
