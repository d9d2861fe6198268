import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from initiativek.core.constants import NotificationKind
from initiativek.core.models import AuditEntry, Notification, NotificationPreference
from initiativek.core.notifications import (
    notification_email_kinds_for_user,
    notification_preferences_save,
)
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory
from tests.projects.factories import ProjectFactory

URL = "/mein-bereich/benachrichtigungen/einstellungen/"
ALL_KINDS = set(NotificationKind.values)


def test_without_a_choice_every_kind_comes_by_mail(user):
    assert notification_email_kinds_for_user(user=user) == ALL_KINDS


def test_saved_preferences_come_back(user):
    wanted = {NotificationKind.JOIN_REQUEST, NotificationKind.COOPERATION_POST}
    notification_preferences_save(user=user, email_kinds=wanted)
    assert notification_email_kinds_for_user(user=user) == wanted
    assert NotificationPreference.objects.filter(user=user).count() == len(ALL_KINDS)
    notification_preferences_save(user=user, email_kinds=ALL_KINDS)
    assert notification_email_kinds_for_user(user=user) == ALL_KINDS


def test_a_change_is_audited_with_what_changed(user):
    notification_preferences_save(
        user=user, email_kinds=ALL_KINDS - {NotificationKind.PROJECT_INTEREST}
    )
    entry = AuditEntry.objects.get(action="core.notification_preferences.changed")
    assert entry.actor == user
    assert entry.data == {"email_on": [], "email_off": [NotificationKind.PROJECT_INTEREST]}
    notification_preferences_save(
        user=user, email_kinds=ALL_KINDS - {NotificationKind.PROJECT_INTEREST}
    )
    assert AuditEntry.objects.filter(action="core.notification_preferences.changed").count() == 1


def test_an_unknown_kind_is_refused(user):
    with pytest.raises(ValidationError):
        notification_preferences_save(user=user, email_kinds={"quatsch"})
    assert not NotificationPreference.objects.exists()


def test_the_settings_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_settings_page_shows_one_checkbox_per_kind_checked_by_default(user):
    page = client_for(user).get(URL).content.decode()
    assert page.count('type="checkbox" name="email_kinds"') == len(ALL_KINDS)
    assert page.count(" checked") == len(ALL_KINDS)
    assert "erscheinen immer hier in der Plattform" in page


def test_unchecking_everything_switches_all_mails_off(user):
    client = client_for(user)
    response = client.post(URL, {})
    assert response.status_code == 302
    assert notification_email_kinds_for_user(user=user) == set()
    page = client.get(URL).content.decode()
    assert page.count(" checked") == 0


def test_the_page_saves_the_checked_kinds(user):
    client_for(user).post(URL, {"email_kinds": [NotificationKind.JOIN_DECISION]})
    assert notification_email_kinds_for_user(user=user) == {NotificationKind.JOIN_DECISION}


def test_a_forged_kind_is_shown_as_an_error(user):
    response = client_for(user).post(URL, {"email_kinds": ["quatsch"]})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert notification_email_kinds_for_user(user=user) == ALL_KINDS


def test_the_settings_are_linked_from_the_list_and_the_profile(user):
    client = client_for(user)
    assert URL in client.get(reverse("accounts:notifications")).content.decode()
    assert URL in client.get(reverse("accounts:profile")).content.decode()


def test_project_interest_respects_the_opt_out(outbox):
    wants = MembershipFactory(editor=True)
    opted_out = MembershipFactory(editor=True, organization=wants.organization)
    notification_preferences_save(
        user=opted_out.user, email_kinds=ALL_KINDS - {NotificationKind.PROJECT_INTEREST}
    )
    project = ProjectFactory(owner=wants.organization, title="Smart Parking")
    member = MembershipFactory()
    client_for(member.user).post(
        reverse("projects:interest", kwargs={"slug": project.slug}),
        {"i-organization": member.organization.pk, "i-kind": "frage", "i-message": "Wie?"},
    )
    assert [message.to for message in outbox] == [[wants.user.email]]
    kinds = Notification.objects.filter(user__in=[wants.user, opted_out.user]).values_list(
        "kind", flat=True
    )
    assert list(kinds) == [NotificationKind.PROJECT_INTEREST] * 2
