import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from initiativek.core.models import AuditEntry
from initiativek.organizations import services
from initiativek.organizations.models import Membership, MembershipApplication, Organization
from tests.accounts.factories import UserFactory
from tests.conftest import client_for
from tests.organizations.factories import (
    ApplicationFactory,
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
)


def test_user_applies_for_directory_entry_and_team_is_emailed(user, team_user, outbox):
    town = OrganizationFactory(name="Tübingen", is_member=False)
    response = client_for(user).post(
        reverse("organizations:apply", kwargs={"slug": town.slug}),
        {"applicant_function": "CDO", "message": "Wir wollen mitmachen."},
    )
    assert response.status_code == 302
    application = MembershipApplication.objects.get()
    assert (application.organization, application.status) == (town, "pending")
    assert team_user.email in outbox[0].to
    assert "Tübingen" in outbox[0].subject
    assert reverse("organizations:review-detail", kwargs={"pk": application.pk}) in outbox[0].body


def test_second_pending_application_is_refused_with_message(user):
    town = OrganizationFactory(is_member=False)
    ApplicationFactory(applicant=user, organization=town)
    response = client_for(user).post(
        reverse("organizations:apply", kwargs={"slug": town.slug}),
        {"applicant_function": "CDO", "message": "Noch einmal"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "bereits ein offener Antrag" in body
    assert "Noch einmal" in body
    assert MembershipApplication.objects.count() == 1


def test_application_without_function_keeps_message(user):
    town = OrganizationFactory(is_member=False)
    response = client_for(user).post(
        reverse("organizations:apply", kwargs={"slug": town.slug}),
        {"applicant_function": "", "message": "Mein Text bleibt"},
    )
    body = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in body
    assert "Mein Text bleibt" in body


def test_application_for_new_organization_validates_ags(user):
    response = client_for(user).post(
        reverse("organizations:apply-new"),
        {
            "new_organization_name": "Stadtwerke Beispielstadt",
            "new_organization_kind": "stadtwerke",
            "new_organization_ags": "12ab",
            "applicant_function": "Geschäftsführung",
        },
    )
    body = response.content.decode()
    assert "genau 8 Ziffern" in body
    assert 'value="Stadtwerke Beispielstadt"' in body
    assert not MembershipApplication.objects.exists()


def test_team_approves_new_organization_and_applicant_becomes_admin(user, team_user, outbox):
    application = ApplicationFactory(
        applicant=user,
        organization=None,
        new_organization_name="Stadtwerke Beispielstadt",
        new_organization_kind="stadtwerke",
    )
    response = client_for(team_user).post(
        reverse("organizations:review-detail", kwargs={"pk": application.pk}),
        {"decision": "approve", "reason": "Willkommen!"},
    )
    assert response.status_code == 302
    organization = Organization.objects.get(name="Stadtwerke Beispielstadt")
    assert organization.is_member and organization.member_since
    assert Membership.objects.get(user=user, organization=organization).role == "admin"
    assert outbox[-1].to == [user.email]
    assert "angenommen" in outbox[-1].subject
    assert AuditEntry.objects.filter(action="organizations.application.approved").exists()


def test_applicant_joining_an_organization_with_admin_becomes_member(user, team_user, outbox):
    town = OrganizationFactory()
    admin = MembershipFactory(organization=town, admin=True).user
    application = ApplicationFactory(applicant=user, organization=town)
    services.application_approve(application=application, actor=team_user)
    assert Membership.objects.get(user=user, organization=town).role == "member"
    to_admins = [message for message in outbox if message.to == [admin.email]]
    assert len(to_admins) == 1
    assert user.name in to_admins[0].subject
    assert reverse("organizations:people", kwargs={"slug": town.slug}) in to_admins[0].body


def test_rejection_needs_a_reason_and_keeps_the_choice(user, team_user):
    application = ApplicationFactory(applicant=user)
    url = reverse("organizations:review-detail", kwargs={"pk": application.pk})
    response = client_for(team_user).post(url, {"decision": "reject", "reason": "  "})
    body = response.content.decode()
    assert "Bitte begründen Sie die Ablehnung." in body
    assert 'value="reject" id="id_decision_1" checked' in body
    application.refresh_from_db()
    assert application.status == "pending"


def test_rejection_with_reason_is_mailed_to_applicant(user, team_user, outbox):
    application = ApplicationFactory(applicant=user)
    client_for(team_user).post(
        reverse("organizations:review-detail", kwargs={"pk": application.pk}),
        {"decision": "reject", "reason": "Bitte mit dienstlicher Adresse beantragen."},
    )
    application.refresh_from_db()
    assert application.status == "rejected"
    assert "Bitte mit dienstlicher Adresse beantragen." in outbox[-1].body
    assert not Membership.objects.filter(user=user).exists()


def test_decided_application_cannot_be_decided_again(user, team_user):
    application = ApplicationFactory(applicant=user)
    services.application_reject(application=application, actor=team_user, reason="Nein")
    with pytest.raises(ValidationError):
        services.application_approve(application=application, actor=team_user)


def test_applicant_withdraws_own_pending_application_only(user):
    mine = ApplicationFactory(applicant=user)
    other = ApplicationFactory()
    client = client_for(user)
    client.post(reverse("organizations:application-withdraw", kwargs={"pk": mine.pk}))
    response = client.post(reverse("organizations:application-withdraw", kwargs={"pk": other.pk}))
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.status == "withdrawn"
    assert response.status_code == 404 and other.status == "pending"


# --- Invitations and roles -------------------------------------------------------------------


@pytest.fixture
def town_admin(db):
    return MembershipFactory(admin=True)


def test_admin_invites_by_email_and_invitee_accepts(town_admin, outbox, client):
    town = town_admin.organization
    response = client_for(town_admin.user).post(
        reverse("organizations:people", kwargs={"slug": town.slug}),
        {"action": "invite", "invite-email": "Neu@Example.org", "invite-role": "editor"},
    )
    assert response.status_code == 302
    invitation = town.invitations.get()
    assert invitation.email == "neu@example.org"
    assert outbox[-1].to == ["neu@example.org"]
    accept_url = reverse("organizations:invitation-accept", kwargs={"token": invitation.token})
    assert accept_url in outbox[-1].body

    assert "Melden Sie sich mit dieser Adresse an" in client.get(accept_url).content.decode()
    invitee = UserFactory(email="neu@example.org")
    client_for(invitee).post(accept_url)
    assert Membership.objects.get(user=invitee, organization=town).role == "editor"
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee


def test_invitation_cannot_be_accepted_by_another_account(town_admin, user):
    invitation = InvitationFactory(organization=town_admin.organization, email="a@example.org")
    url = reverse("organizations:invitation-accept", kwargs={"token": invitation.token})
    body = client_for(user).post(url).content.decode()
    assert "Sie sind mit einer anderen Adresse angemeldet" in body
    assert not Membership.objects.filter(user=user).exists()
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, user=user)


def test_expired_or_revoked_invitation_is_refused(town_admin):
    expired = InvitationFactory(organization=town_admin.organization, expired=True)
    invitee = UserFactory(email=expired.email)
    with pytest.raises(ValidationError, match="abgelaufen"):
        services.invitation_accept(invitation=expired, user=invitee)
    revoked = InvitationFactory(organization=town_admin.organization)
    services.invitation_revoke(invitation=revoked, actor=town_admin.user)
    with pytest.raises(ValidationError, match="nicht mehr gültig"):
        services.invitation_accept(invitation=revoked, user=UserFactory(email=revoked.email))


def test_inviting_an_existing_member_or_twice_gives_a_field_error(town_admin):
    town = town_admin.organization
    url = reverse("organizations:people", kwargs={"slug": town.slug})
    client = client_for(town_admin.user)
    existing = client.post(
        url, {"action": "invite", "invite-email": town_admin.user.email, "invite-role": "member"}
    )
    assert "gehört der Organisation bereits an" in existing.content.decode()
    client.post(url, {"action": "invite", "invite-email": "x@example.org", "invite-role": "member"})
    again = client.post(
        url, {"action": "invite", "invite-email": "x@example.org", "invite-role": "member"}
    )
    assert "bereits eine Einladung offen" in again.content.decode()
    assert town.invitations.count() == 1


def test_admin_changes_role_and_removes_person(town_admin):
    town = town_admin.organization
    other = MembershipFactory(organization=town)
    client = client_for(town_admin.user)
    url = reverse("organizations:people", kwargs={"slug": town.slug})
    client.post(url, {"action": "role", "membership": other.pk, f"m{other.pk}-role": "editor"})
    other.refresh_from_db()
    assert other.role == "editor"
    client.post(url, {"action": "remove", "membership": other.pk})
    assert not Membership.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(action="organizations.membership.removed").exists()


def test_last_admin_cannot_remove_or_demote_themselves(town_admin):
    town = town_admin.organization
    client = client_for(town_admin.user)
    url = reverse("organizations:people", kwargs={"slug": town.slug})
    removed = client.post(url, {"action": "remove", "membership": town_admin.pk}, follow=True)
    assert "mindestens eine Person mit der Rolle Administration" in removed.content.decode()
    client.post(
        url, {"action": "role", "membership": town_admin.pk, f"m{town_admin.pk}-role": "member"}
    )
    town_admin.refresh_from_db()
    assert town_admin.role == "admin"


def test_admin_can_leave_when_another_admin_remains(town_admin):
    MembershipFactory(organization=town_admin.organization, admin=True)
    services.membership_remove(membership=town_admin, actor=town_admin.user)
    assert not Membership.objects.filter(pk=town_admin.pk).exists()


def test_membership_of_other_organization_cannot_be_changed_through_url(town_admin):
    foreign = MembershipFactory()
    client = client_for(town_admin.user)
    url = reverse("organizations:people", kwargs={"slug": town_admin.organization.slug})
    response = client.post(url, {"action": "remove", "membership": foreign.pk})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin():
    first = MembershipFactory(admin=True)
    second = MembershipFactory(admin=True, organization=first.organization)
    barrier = threading.Barrier(2)
    errors = []

    def demote(membership, actor):
        barrier.wait()
        try:
            services.membership_change_role(membership=membership, actor=actor, role="member")
        except (ValidationError, PermissionDenied) as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(first, second.user)),
        threading.Thread(target=demote, args=(second, first.user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert first.organization.memberships.filter(role="admin").count() == 1
    assert len(errors) == 1


# --- Profile editing -------------------------------------------------------------------------


def _edit_data(**overrides):
    data = {
        "org-description": "Große Kreisstadt am Bodensee.",
        "org-website": "https://www.example.org",
        "org-population": "90000",
        "org-latitude": "",
        "org-longitude": "",
        "org-parent": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
        "contacts-0-name": "Eberhard Baier",
        "contacts-0-function": "Leiter Statistik und Steuerungsunterstützung",
        "contacts-0-visibility": "public",
        "contacts-0-email": "",
        "contacts-0-email_visibility": "members",
        "contacts-0-phone": "",
        "contacts-0-phone_visibility": "members",
        "contacts-0-position": "0",
    }
    data.update(overrides)
    return data


def test_editor_edits_profile_and_adds_contact(db):
    editor = MembershipFactory(editor=True)
    town = editor.organization
    response = client_for(editor.user).post(
        reverse("organizations:edit", kwargs={"slug": town.slug}), _edit_data()
    )
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.description == "Große Kreisstadt am Bodensee."
    assert town.contacts.get().name == "Eberhard Baier"
    assert AuditEntry.objects.filter(action="organizations.organization.changed").exists()


def test_bad_profile_input_keeps_everything_typed(db):
    editor = MembershipFactory(editor=True)
    town = editor.organization
    response = client_for(editor.user).post(
        reverse("organizations:edit", kwargs={"slug": town.slug}),
        _edit_data(**{"org-website": "keine url", "org-population": "viele"}),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bitte eine gültige Adresse eingeben." in body and "ganze Zahl" in body
    assert "Große Kreisstadt am Bodensee." in body
    assert 'value="Eberhard Baier"' in body
    town.refresh_from_db()
    assert town.description == ""
