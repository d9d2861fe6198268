import pytest
from django.urls import reverse

from initiativek.core.models import Notification
from initiativek.projects.models import ProjectInterest
from tests.conftest import client_for
from tests.organizations.factories import MembershipFactory
from tests.projects.factories import ProjectFactory


@pytest.fixture
def owner_editor(db):
    return MembershipFactory(editor=True)


@pytest.fixture
def project(owner_editor):
    return ProjectFactory(owner=owner_editor.organization, title="Smart Parking")


def test_member_declares_interest_and_owner_is_notified(project, owner_editor, outbox):
    member = MembershipFactory()
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    response = client_for(member.user).post(
        url, {"i-organization": member.organization.pk, "i-kind": "nachnutzen", "i-message": "Wie?"}
    )
    assert response.status_code == 302
    interest = ProjectInterest.objects.get()
    assert (interest.organization, interest.kind) == (member.organization, "nachnutzen")
    notification = Notification.objects.get(user=owner_editor.user)
    assert "Smart Parking" in notification.text
    assert outbox[-1].to == [owner_editor.user.email]
    assert "Wie?" in outbox[-1].body
    # both sides see the exchange
    assert "Wie?" in client_for(owner_editor.user).get(url).content.decode()
    assert "Wie?" in client_for(member.user).get(url).content.decode()


def test_second_declaration_of_the_same_organization_updates_the_first(project):
    member = MembershipFactory()
    client = client_for(member.user)
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    client.post(url, {"i-organization": member.organization.pk, "i-kind": "frage"})
    colleague = MembershipFactory(organization=member.organization)
    client_for(colleague.user).post(
        url, {"i-organization": member.organization.pk, "i-kind": "kooperieren"}
    )
    interest = ProjectInterest.objects.get()
    assert interest.kind == "kooperieren"
    assert interest.user == colleague.user


def test_owner_replies_and_interested_person_is_notified(project, owner_editor):
    member = MembershipFactory()
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    client_for(member.user).post(url, {"i-organization": member.organization.pk, "i-kind": "frage"})
    interest = ProjectInterest.objects.get()
    client_for(owner_editor.user).post(url, {"reply_to": interest.pk, "r-text": "Gern!"})
    assert interest.messages.get().text == "Gern!"
    assert Notification.objects.filter(user=member.user).exists()


def test_owner_cannot_declare_interest_in_own_project(project, owner_editor):
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    response = client_for(owner_editor.user).post(
        url, {"i-organization": owner_editor.organization.pk, "i-kind": "frage"}
    )
    assert response.status_code == 403
    assert not ProjectInterest.objects.exists()


def test_non_members_cannot_declare_interest(project, user):
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    assert client_for(user).post(url, {"i-kind": "frage"}).status_code == 403
    assert not ProjectInterest.objects.exists()


def test_a_third_organization_does_not_see_others_exchange(project):
    first, third = MembershipFactory(), MembershipFactory()
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    client_for(first.user).post(
        url, {"i-organization": first.organization.pk, "i-kind": "frage", "i-message": "Geheim"}
    )
    assert "Geheim" not in client_for(third.user).get(url).content.decode()


def test_failed_reply_keeps_the_form_with_an_error(project, owner_editor):
    member = MembershipFactory()
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    client_for(member.user).post(url, {"i-organization": member.organization.pk, "i-kind": "frage"})
    interest = ProjectInterest.objects.get()
    response = client_for(owner_editor.user).post(url, {"reply_to": interest.pk, "r-text": ""})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not interest.messages.exists()


def test_reply_is_mailed_to_the_interested_organization(project, owner_editor, outbox):
    member = MembershipFactory()
    colleague = MembershipFactory(organization=member.organization)
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    client_for(member.user).post(url, {"i-organization": member.organization.pk, "i-kind": "frage"})
    interest = ProjectInterest.objects.get()
    client_for(owner_editor.user).post(url, {"reply_to": interest.pk, "r-text": "Gern!"})
    reply_mails = [mail for mail in outbox if "Gern!" in mail.body]
    recipients = sorted(address for mail in reply_mails for address in mail.to)
    assert recipients == sorted([member.user.email, colleague.user.email])
    assert all(len(mail.to) == 1 for mail in reply_mails)  # nobody sees the others' addresses


def test_team_reads_the_exchange_but_does_not_speak_for_an_organization(project, team_user):
    member = MembershipFactory()
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    client_for(member.user).post(
        url, {"i-organization": member.organization.pk, "i-kind": "frage", "i-message": "Hallo"}
    )
    interest = ProjectInterest.objects.get()
    team = client_for(team_user)
    assert "Hallo" in team.get(url).content.decode()
    assert team.post(url, {"reply_to": interest.pk, "r-text": "Team"}).status_code == 403


def test_partner_companies_cannot_declare_interest(project):
    vendor = MembershipFactory(organization__kind="partner")
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    response = client_for(vendor.user).post(
        url, {"i-organization": vendor.organization.pk, "i-kind": "frage"}
    )
    assert response.status_code == 403
    assert not ProjectInterest.objects.exists()


def test_messages_show_names_not_email_addresses(project, owner_editor):
    member = MembershipFactory(user__name="")
    url = reverse("projects:interest", kwargs={"slug": project.slug})
    client_for(member.user).post(
        url, {"i-organization": member.organization.pk, "i-kind": "frage", "i-message": "Hi"}
    )
    body = client_for(owner_editor.user).get(url).content.decode()
    assert member.user.email not in body
    assert f"eine Person von {member.organization.name}" in body
