import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from initiativek.core.models import AuditEntry
from initiativek.events.constants import PRIVACY_TEXT_VERSION, RegistrationStatus
from initiativek.events.forms import RegistrationForm
from initiativek.events.models import Registration
from initiativek.events.services_privacy import registration_is_anonymized
from initiativek.privacy.constants import ConsentPurpose
from initiativek.privacy.models import ConsentRecord
from initiativek.privacy.texts import ACCOUNT_PRIVACY_NOTICE, ACCOUNT_PRIVACY_NOTICE_VERSION
from initiativek.surveys import services as survey_services
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import client_for
from tests.events.factories import EventFactory, RegistrationFactory
from tests.organizations.factories import MembershipFactory
from tests.surveys.factories import QuestionnaireFactory

pytestmark = pytest.mark.django_db


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _guest_post(client, event, **overrides):
    data = {
        "r-name": "Gabi Gast",
        "r-email": "gabi@example.org",
        "r-organization_name": "Stadtwerke Beispiel",
        "r-mode": "online",
        "r-privacy": "on",
    }
    data.update(overrides)
    return client.post(reverse("events:register", kwargs={"slug": event.slug}), data)


def test_guest_registration_records_the_privacy_consent_with_version_and_wording(client):
    event = EventFactory()

    _guest_post(client, event)

    registration = Registration.objects.get(email="gabi@example.org")
    record = ConsentRecord.objects.get(registration=registration)
    label = str(RegistrationForm.base_fields["privacy"].label)
    assert record.purpose == ConsentPurpose.EVENT_PRIVACY
    assert record.email == "gabi@example.org" and record.user is None
    assert record.text.version == PRIVACY_TEXT_VERSION == registration.privacy_text_version
    assert record.text.text == label
    assert record.text.sha256 == _sha(label)
    assert record.text.language == "de"
    assert record.given_at == registration.privacy_consent_at
    assert record.withdrawn_at is None and record.source == "web"


def test_optional_consents_are_recorded_only_when_given(client):
    event = EventFactory()
    _guest_post(client, event, **{"r-listed": "on", "r-access_needs": "Untertitel"})
    _guest_post(client, event, **{"r-email": "ohne@example.org"})

    with_all = Registration.objects.get(email="gabi@example.org")
    purposes = set(with_all.consent_records.values_list("purpose", flat=True))
    assert purposes == {
        ConsentPurpose.EVENT_PRIVACY,
        ConsentPurpose.EVENT_LISTED,
        ConsentPurpose.EVENT_ACCESS_NEEDS,
    }
    access = with_all.consent_records.get(purpose=ConsentPurpose.EVENT_ACCESS_NEEDS)
    assert "Nur die Gastgeber sehen diese Angabe." in access.text.text  # the help text shown
    without = Registration.objects.get(email="ohne@example.org")
    assert list(without.consent_records.values_list("purpose", flat=True)) == [
        ConsentPurpose.EVENT_PRIVACY
    ]


def test_the_same_wording_is_stored_once_and_english_separately(client):
    event = EventFactory()
    _guest_post(client, event)
    _guest_post(client, event, **{"r-email": "zweite@example.org"})
    client.cookies["django_language"] = "en"
    _guest_post(client, event, **{"r-email": "third@example.org"})

    records = ConsentRecord.objects.filter(purpose=ConsentPurpose.EVENT_PRIVACY)
    assert records.count() == 3
    assert records.values("text").distinct().count() == 2
    english = records.get(email="third@example.org").text
    assert english.language == "en"
    with translation.override("en"):
        assert english.text == str(RegistrationForm.base_fields["privacy"].label)


def test_member_registration_records_the_consent_for_the_account(user):
    event = EventFactory()

    client_for(user).post(
        reverse("events:register", kwargs={"slug": event.slug}),
        {"r-mode": "vor_ort", "r-privacy": "on", "r-listed": "on"},
    )

    records = ConsentRecord.objects.filter(user=user)
    assert set(records.values_list("purpose", flat=True)) == {
        ConsentPurpose.EVENT_PRIVACY,
        ConsentPurpose.EVENT_LISTED,
    }


def test_registration_refused_without_consent_records_nothing(client):
    _guest_post(client, EventFactory(), **{"r-privacy": ""})

    assert not Registration.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_signup_records_the_acknowledged_privacy_notice(client, outbox):
    page = client.get(reverse("account_signup")).content.decode()
    assert str(ACCOUNT_PRIVACY_NOTICE) in page

    client.post(
        reverse("account_signup"),
        {
            "name": "Carla Beispiel",
            "email": "carla@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    user = get_user_model().objects.get(email="carla@example.org")
    record = ConsentRecord.objects.get(user=user)
    assert record.purpose == ConsentPurpose.ACCOUNT_PRIVACY_NOTICE
    assert record.text.version == ACCOUNT_PRIVACY_NOTICE_VERSION
    assert record.text.sha256 == _sha(str(ACCOUNT_PRIVACY_NOTICE))


def test_questionnaire_consents_follow_the_response_with_the_editor(db):
    questionnaire = QuestionnaireFactory()
    editor = MembershipFactory(editor=True)
    kwargs = {"questionnaire": questionnaire, "organization": editor.organization, "values": {}}

    response = survey_services.response_save(
        user=editor.user, consent_contact=True, consent_named_text=False, **kwargs
    )

    record = ConsentRecord.objects.get(response=response)
    assert record.purpose == ConsentPurpose.SURVEY_CONTACT and record.user == editor.user
    assert "Andere Mitglieder dürfen uns" in record.text.text
    survey_services.response_save(
        user=editor.user, consent_contact=False, consent_named_text=True, **kwargs
    )
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    assert ConsentRecord.objects.get(
        response=response, purpose=ConsentPurpose.SURVEY_NAMED_TEXT, withdrawn_at=None
    )


def _data_page(user):
    return client_for(user).get(reverse("accounts:data"))


def test_the_data_page_lists_the_persons_consents_and_not_others(user):
    event = EventFactory(title="Digitaltag Ravensburg")
    RegistrationFactory(event=event, user=user, email=user.email, listed=True)
    RegistrationFactory(event=EventFactory(title="Fremde Veranstaltung"))

    body = _data_page(user).content.decode()

    assert "Digitaltag Ravensburg" in body
    assert "Name in der Teilnehmendenliste zeigen" in body
    assert "Fremde Veranstaltung" not in body
    assert body.count(">Widerrufen<") == 2  # privacy and listing


def test_withdrawing_the_listing_takes_the_person_off_the_list(user):
    registration = RegistrationFactory(user=user, email=user.email, listed=True)
    record = registration.consent_records.get(purpose=ConsentPurpose.EVENT_LISTED)

    response = client_for(user).post(reverse("accounts:consent-withdraw", args=[record.pk]))

    assert response.status_code == 302
    registration.refresh_from_db()
    record.refresh_from_db()
    assert registration.listed is False
    assert record.withdrawn_at is not None
    assert registration.status == RegistrationStatus.CONFIRMED  # still registered
    assert AuditEntry.objects.filter(action="privacy.consent.withdrawn").exists()


def test_withdrawing_accessibility_consent_deletes_the_needs(user):
    registration = RegistrationFactory(user=user, email=user.email, access_needs="Rampe")
    record = registration.consent_records.get(purpose=ConsentPurpose.EVENT_ACCESS_NEEDS)

    client_for(user).post(reverse("accounts:consent-withdraw", args=[record.pk]))

    registration.refresh_from_db()
    assert registration.access_needs == ""


def test_withdrawing_the_privacy_consent_cancels_and_anonymizes_the_registration(user, outbox):
    registration = RegistrationFactory(user=user, email=user.email, name=user.name, listed=True)
    record = registration.consent_records.get(purpose=ConsentPurpose.EVENT_PRIVACY)

    client_for(user).post(reverse("accounts:consent-withdraw", args=[record.pk]))

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration_is_anonymized(registration)
    assert user.name not in registration.name and registration.user is None
    assert not ConsentRecord.objects.filter(registration=registration, withdrawn_at=None)
    assert [message.to for message in outbox] == [[user.email]]  # the cancellation


def test_withdrawing_twice_changes_nothing(user):
    registration = RegistrationFactory(user=user, email=user.email, listed=True)
    record = registration.consent_records.get(purpose=ConsentPurpose.EVENT_LISTED)
    client = client_for(user)
    client.post(reverse("accounts:consent-withdraw", args=[record.pk]))
    first = ConsentRecord.objects.get(pk=record.pk).withdrawn_at

    client.post(reverse("accounts:consent-withdraw", args=[record.pk]))

    assert ConsentRecord.objects.get(pk=record.pk).withdrawn_at == first


def test_nobody_withdraws_another_persons_consent(user):
    other = UserFactory()
    registration = RegistrationFactory(user=other, email=other.email, listed=True)
    record = registration.consent_records.get(purpose=ConsentPurpose.EVENT_LISTED)

    response = client_for(user).post(reverse("accounts:consent-withdraw", args=[record.pk]))

    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.listed is True


def test_the_sign_up_acknowledgement_is_not_withdrawn_on_the_data_page(user):
    from initiativek.privacy.services import consent_give

    record = consent_give(purpose=ConsentPurpose.ACCOUNT_PRIVACY_NOTICE, user=user)

    response = client_for(user).post(
        reverse("accounts:consent-withdraw", args=[record.pk]), follow=True
    )

    record.refresh_from_db()
    assert record.withdrawn_at is None
    assert "kann hier nicht widerrufen werden" in response.content.decode()


@pytest.mark.parametrize("pk", ["999999999999999999999", "0"])
def test_withdrawing_unknown_consents_is_a_404(user, pk):
    response = client_for(user).post(f"/mein-bereich/daten/einwilligungen/{pk}/widerrufen/")
    assert response.status_code == 404


def test_the_data_page_needs_login(client):
    response = client.get(reverse("accounts:data"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
