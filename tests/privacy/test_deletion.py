import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from initiativek.accounts.services import api_token_authenticate, api_token_create
from initiativek.accounts.services_deletion import DELETED_NAME, account_delete
from initiativek.core.models import AuditEntry, Notification
from initiativek.events.constants import RegistrationStatus
from initiativek.events.models import CalendarFeed, Registration
from initiativek.events.services_privacy import registration_is_anonymized
from initiativek.organizations.models import Invitation, Membership, MembershipApplication
from initiativek.privacy.models import ConsentRecord
from initiativek.projects.models import InterestMessage
from initiativek.surveys.models import Response
from tests.accounts.factories import PASSWORD
from tests.conftest import client_for
from tests.events.factories import EventFactory, RegistrationFactory
from tests.organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def _delete(client, password=PASSWORD):
    return client.post(reverse("accounts:account-delete"), {"password": password})


def _hand_over(person):
    """The fixture person is the organization's admin next to a colleague: still one other."""
    assert Membership.objects.filter(organization=person.organization, role="admin").count() == 2


def test_the_page_explains_what_happens(person):
    body = client_for(person.user).get(reverse("accounts:account-delete")).content.decode()

    assert "Was dabei geschieht" in body
    assert "Gelöschte Person" in body
    assert 'name="password"' in body


def test_the_last_admin_of_an_organization_must_hand_over_first(user):
    membership = MembershipFactory(user=user, admin=True, organization__name="Aalen")
    MembershipFactory(organization=membership.organization, editor=True)
    client = client_for(user)

    page = client.get(reverse("accounts:account-delete")).content.decode()
    response = _delete(client)

    assert "Zuerst übergeben" in page and "Aalen" in page
    assert 'name="password"' not in page
    assert response.status_code == 400
    assert "einzige Person mit der Rolle Administration" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and user.name != DELETED_NAME
    with pytest.raises(ValidationError):
        account_delete(user=user)


def test_an_inactive_second_admin_does_not_count(user):
    membership = MembershipFactory(user=user, admin=True)
    MembershipFactory(organization=membership.organization, admin=True, user__is_active=False)

    with pytest.raises(ValidationError):
        account_delete(user=user)


def test_a_wrong_password_deletes_nothing(person):
    response = _delete(client_for(person.user), password="falsch")

    assert response.status_code == 400
    assert "Das Passwort stimmt nicht." in response.content.decode()
    person.user.refresh_from_db()
    assert person.user.is_active


def test_deletion_anonymizes_the_account_and_ends_sign_in(person, outbox):
    _hand_over(person)
    user = person.user
    client = client_for(user)
    second_browser = client_for(user)
    _token, raw = api_token_create(user=user, name="Abgleich")

    response = _delete(client)

    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.name == DELETED_NAME
    assert user.email == f"geloescht-{user.pk}@konto.invalid"
    assert (user.function, user.phone) == ("", "")
    assert not user.is_active and not user.has_usable_password()
    assert not user.api_tokens.filter(revoked_at=None).exists()
    assert api_token_authenticate(raw=raw) is None
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user).exists()
    assert not CalendarFeed.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    # The other browser is signed out too.
    assert second_browser.get(reverse("accounts:dashboard")).status_code == 302
    login = Client().post(
        reverse("account_login"), {"login": "alpha7@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in login.client.session


def test_deletion_anonymizes_registrations_and_keeps_them_for_counts(person, outbox):
    _hand_over(person)
    past = RegistrationFactory(
        event=EventFactory(title="Vergangen", starts_at=None, ends_at=None),
        user=person.user,
        email=person.user.email,
        attended_at=None,
    )

    _delete(client_for(person.user))

    for registration in (person.registration, person.guest_registration, past):
        registration.refresh_from_db()
        assert registration_is_anonymized(registration)
        assert registration.name == "Anonymisiert" and registration.user is None
        assert registration.access_needs == "" and registration.listed is False
    # Coming events: the seat is given back (and the person told, before the address went).
    person.registration.refresh_from_db()
    assert person.registration.status == RegistrationStatus.CANCELLED
    assert Registration.objects.count() == 3  # kept for the counts
    assert {message.to[0].lower() for message in outbox} == {"alpha7@example.org"}


def test_deletion_keeps_the_organizations_content(person):
    _hand_over(person)
    response_before = Response.objects.get(organization=person.organization)

    _delete(client_for(person.user))

    response = Response.objects.get(pk=response_before.pk)
    assert response.consent_contact is True
    record = ConsentRecord.objects.get(response=response)
    assert record.withdrawn_at is None and record.user is None  # the organization's consent
    message = InterestMessage.objects.get(text="Nachricht alpha7")
    assert message.author.name == DELETED_NAME  # the text stays, the author is anonymous
    assert person.organization.memberships.count() == 1  # the colleague


def test_deletion_removes_the_person_from_applications_invitations_and_consents(person):
    _hand_over(person)
    email = person.user.email

    _delete(client_for(person.user))

    application = MembershipApplication.objects.get(applicant=person.user)
    assert application.message == "" and application.status == "withdrawn"
    assert not Invitation.objects.filter(email__iexact=email).exists()
    assert not ConsentRecord.objects.filter(email__iexact=email).exists()
    assert not ConsentRecord.objects.filter(user=person.user).exists()
    personal = ConsentRecord.objects.filter(registration=person.registration)
    assert personal.exists() and not personal.filter(withdrawn_at=None).exists()


def test_the_audit_trail_keeps_working_without_personal_data(person):
    _hand_over(person)
    user, email = person.user, person.user.email

    _delete(client_for(user))

    entry = AuditEntry.objects.get(action="accounts.user.deleted")
    assert entry.object_id == str(user.pk) and entry.object_repr == DELETED_NAME
    text = json.dumps(entry.data)
    assert "alpha7" not in text
    assert entry.data["registrations"] == 2 and entry.data["memberships"] == 1
    everything = "".join(f"{e.object_repr} {json.dumps(e.data)}" for e in AuditEntry.objects.all())
    assert email not in everything and "Person alpha7" not in everything
    # Earlier entries still point at the (anonymized) person.
    assert AuditEntry.objects.filter(actor=user, action="accounts.api_token.created").exists()


def test_deletion_needs_login_and_post(client, user):
    assert client.post(reverse("accounts:account-delete")).status_code == 302
    assert client_for(user).get(reverse("accounts:account-delete")).status_code == 200
    user.refresh_from_db()
    assert user.is_active


def test_deletion_takes_the_persons_mails_out_of_the_outbox(person, settings):
    from initiativek.core.models import OutgoingMail

    _hand_over(person)
    email = person.user.email
    waiting = OutgoingMail.objects.create(to=[email], subject="Hallo", body_text="Text")
    sent = OutgoingMail.objects.create(
        to=[email.upper()], subject="Alt", body_text="Text", status="sent"
    )
    shared = OutgoingMail.objects.create(
        to=[f"Person <{email}>", "kollegin@example.org"], subject="An beide", body_text="Text"
    )
    other = OutgoingMail.objects.create(to=["kollegin@example.org"], subject="X", body_text="Y")

    _delete(client_for(person.user))

    remaining = set(OutgoingMail.objects.values_list("pk", flat=True))
    assert waiting.pk not in remaining and sent.pk not in remaining
    shared.refresh_from_db()
    assert shared.to == ["kollegin@example.org"]
    assert other.pk in remaining


@pytest.mark.django_db(transaction=True)
def test_two_admins_deleting_at_once_leave_one_of_them(db):
    """The organization row is locked before the last-admin check (PostgreSQL runs the two
    deletions in parallel; SQLite serialises them)."""
    import threading

    from django.db import connection

    from tests.organizations.factories import OrganizationFactory

    organization = OrganizationFactory()
    admins = [MembershipFactory(organization=organization, admin=True).user for _ in range(2)]
    barrier = threading.Barrier(2, timeout=10)
    results = []

    def delete(user):
        try:
            barrier.wait()
            account_delete(user=user)
            results.append("deleted")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=delete, args=(admin,)) for admin in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["deleted", "refused"]
    assert Membership.objects.filter(organization=organization, role="admin").count() == 1


def test_deletion_removes_sessions_from_the_cache_too(person, outbox, settings):
    """Production keeps sessions in the cache and the database (cached_db): both copies go."""
    from importlib import import_module

    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    _hand_over(person)
    user = person.user
    second_browser = client_for(user)
    key = second_browser.session.session_key
    store = import_module(settings.SESSION_ENGINE)
    assert cache.get(store.KEY_PREFIX + key) is not None

    _delete(client_for(user))

    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(store.KEY_PREFIX + key) is None
    assert second_browser.get(reverse("accounts:dashboard")).status_code == 302
