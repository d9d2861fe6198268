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


def test_more_than_three_open_applications_are_refused_and_the_input_kept(user, outbox):
    for _ in range(3):
        ApplicationFactory(applicant=user, organization=OrganizationFactory(is_member=False))
    town = OrganizationFactory(is_member=False)

    response = client_for(user).post(
        reverse("organizations:apply", kwargs={"slug": town.slug}),
        {"applicant_function": "CDO", "message": "Die vierte"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "bereits 3 offene Anträge" in body
    assert "Die vierte" in body
    assert not MembershipApplication.objects.filter(organization=town).exists()
    assert outbox == []


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
    remove_url = reverse(
        "organizations:membership-remove", kwargs={"slug": town.slug, "pk": other.pk}
    )
    assert "entfernen?" in client.get(remove_url).content.decode()  # asks first
    assert Membership.objects.filter(pk=other.pk).exists()
    client.post(remove_url)
    assert not Membership.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(action="organizations.membership.removed").exists()


def test_last_admin_cannot_remove_or_demote_themselves(town_admin):
    town = town_admin.organization
    client = client_for(town_admin.user)
    url = reverse("organizations:people", kwargs={"slug": town.slug})
    remove_url = reverse(
        "organizations:membership-remove", kwargs={"slug": town.slug, "pk": town_admin.pk}
    )
    removed = client.post(remove_url, follow=True)
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
    slug = town_admin.organization.slug
    remove_url = reverse("organizations:membership-remove", kwargs={"slug": slug, "pk": foreign.pk})
    assert client.post(remove_url).status_code == 404
    people_url = reverse("organizations:people", kwargs={"slug": slug})
    role = client.post(
        people_url, {"action": "role", "membership": foreign.pk, f"m{foreign.pk}-role": "admin"}
    )
    assert role.status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == "member"


@pytest.mark.parametrize("bad_id", ["abc", "", "1; DROP TABLE", "-1"])
def test_non_numeric_ids_in_people_actions_give_404_not_500(town_admin, bad_id):
    url = reverse("organizations:people", kwargs={"slug": town_admin.organization.slug})
    client = client_for(town_admin.user)
    assert client.post(url, {"action": "role", "membership": bad_id}).status_code == 404
    assert client.post(url, {"action": "revoke", "invitation": bad_id}).status_code == 404


def test_member_leaves_organization_after_confirming(db):
    membership = MembershipFactory()
    url = reverse(
        "organizations:membership-remove",
        kwargs={"slug": membership.organization.slug, "pk": membership.pk},
    )
    client = client_for(membership.user)
    assert "verlassen?" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("accounts:dashboard")
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_member_cannot_remove_someone_else(db):
    membership = MembershipFactory()
    other = MembershipFactory(organization=membership.organization)
    url = reverse(
        "organizations:membership-remove",
        kwargs={"slug": membership.organization.slug, "pk": other.pk},
    )
    assert client_for(membership.user).post(url).status_code == 403
    assert Membership.objects.filter(pk=other.pk).exists()


def test_accepted_invitation_cannot_be_revoked(town_admin):
    invitation = InvitationFactory(organization=town_admin.organization)
    services.invitation_accept(invitation=invitation, user=UserFactory(email=invitation.email))
    with pytest.raises(ValidationError, match="nicht mehr offen"):
        services.invitation_revoke(invitation=invitation, actor=town_admin.user)


def test_deactivated_admin_does_not_count_as_the_other_admin(town_admin):
    MembershipFactory(organization=town_admin.organization, admin=True, user__is_active=False)
    with pytest.raises(ValidationError, match="mindestens eine Person"):
        services.membership_remove(membership=town_admin, actor=town_admin.user)


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


def test_new_organization_with_an_ags_already_in_the_directory_is_sent_there(user):
    OrganizationFactory(name="Tübingen", ags="08416041", kind="grosse_kreisstadt")
    response = client_for(user).post(
        reverse("organizations:apply-new"),
        {
            "new_organization_name": "Stadt Tübingen",
            "new_organization_kind": "stadt",
            "new_organization_ags": "08416041",
            "applicant_function": "CDO",
        },
    )
    body = response.content.decode()
    assert "Tübingen ist mit diesem Gemeindeschlüssel schon im Verzeichnis" in body
    assert not MembershipApplication.objects.exists()


def test_expired_invitation_does_not_block_a_new_one(town_admin):
    expired = InvitationFactory(organization=town_admin.organization, expired=True)
    fresh = services.invitation_create(
        organization=town_admin.organization,
        actor=town_admin.user,
        email=expired.email,
        role="member",
    )
    expired.refresh_from_db()
    assert expired.revoked_at is not None
    assert fresh.pk != expired.pk


def test_official_figures_of_directory_organizations_are_not_editable(db):
    editor = MembershipFactory(editor=True, organization__source="directory")
    town = editor.organization
    town.population = 51482
    town.save()
    response = client_for(editor.user).post(
        reverse("organizations:edit", kwargs={"slug": town.slug}),
        _edit_data(**{"org-population": "1"}),
    )
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.population == 51482
    assert town.description == "Große Kreisstadt am Bodensee."


def test_contact_formset_refuses_more_than_twenty_contacts(db):
    editor = MembershipFactory(editor=True)
    data = _edit_data(**{"contacts-TOTAL_FORMS": "25"})
    for index in range(25):
        data.update(
            {
                f"contacts-{index}-name": f"Person {index}",
                f"contacts-{index}-visibility": "public",
                f"contacts-{index}-email_visibility": "members",
                f"contacts-{index}-phone_visibility": "members",
                f"contacts-{index}-position": "0",
            }
        )
    response = client_for(editor.user).post(
        reverse("organizations:edit", kwargs={"slug": editor.organization.slug}), data
    )
    assert response.status_code == 200
    assert not editor.organization.contacts.exists()
