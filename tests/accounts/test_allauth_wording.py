"""allauth's pages and mails speak as the platform does: formal German ("Sie") and mails that
name the platform and carry their link (templates/account/email/, locale_overrides/de)."""

import gettext
import html
import re
from pathlib import Path

import allauth
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.accounts.factories import PASSWORD, UserFactory

# Informal address: the pronouns and the imperatives allauth's German catalogue uses.
INFORMAL = re.compile(
    r"\b(du|dein\w*|dich|dir|euch|euer|eure\w*"
    r"|bestätige|gib|klicke?|melde|überprüfe|lass|wähle|versuche|kontaktiere|erstelle"
    r"|verwende|folge|rufe|verknüpfe)\b",
    re.IGNORECASE,
)
ALLAUTH_GERMAN = Path(allauth.__file__).parent / "locale/de/LC_MESSAGES/django.mo"


def informal_words(text: str) -> list[str]:
    return INFORMAL.findall(text)


def main_text(response) -> str:
    """What a person reads or hears in the page's <main>: the text and the labels in
    aria-label, title, placeholder and alt."""
    page = response.content.decode()
    main = re.search(r"<main\b.*?</main>", page, re.DOTALL)
    assert main, "the page has no <main>"
    labels = re.findall(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', main.group(0))
    text = re.sub(r"<[^>]+>", " ", main.group(0))
    return html.unescape(" ".join([text, *labels]))


def signed_in(user) -> Client:
    """Signed in, with the password given again just now: allauth asks for it before its 2FA
    and e-mail settings (reauthentication), and these tests want the settings pages."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def link_in(mail, path_part: str) -> str:
    for match in re.finditer(r"https?://[^/\s]+(/\S+)", mail.body):
        if path_part in match.group(1):
            return match.group(1)
    raise AssertionError(f"no link with {path_part!r} in {mail.body!r}")


def sign_up(client: Client, email: str = "carla@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "name": "Carla Beispiel",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )


# --- The catalogue ---------------------------------------------------------------------------


def test_no_informal_string_of_allauths_german_catalogue_is_left():
    with open(ALLAUTH_GERMAN, "rb") as file:
        catalogue = gettext.GNUTranslations(file)._catalog
    informal = [
        msgid
        for msgid, msgstr in catalogue.items()
        if isinstance(msgid, str) and msgid and informal_words(msgstr)
    ]
    assert len(informal) > 40  # the check itself still finds allauth's "du"

    with translation.override("de"):
        left = {
            msgid: translation.pgettext(*msgid.split("\x04"))
            if "\x04" in msgid
            else translation.gettext(msgid)
            for msgid in informal
        }

    assert {msgid: text for msgid, text in left.items() if informal_words(text)} == {}


# --- Mails -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_sign_up_mail_names_the_platform_and_carries_the_confirmation_link(
    outbox, settings, language
):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    sign_up(client)

    [mail] = outbox
    assert mail.to == ["carla@example.org"]
    assert "Initiative K" in mail.subject
    assert "Initiative K" in mail.body
    assert " von !" not in mail.body and " from !" not in mail.body
    confirm_url = link_in(mail, "/konto/confirm-email/")
    response = client.post(confirm_url, follow=True)
    assert response.context["user"].email == "carla@example.org"


def test_the_sign_up_mail_addresses_the_person_formally(outbox):
    sign_up(Client())

    [mail] = outbox
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in mail.subject
    assert "Ihr Team der Initiative K" in mail.body
    assert informal_words(mail.subject + mail.body) == []


def test_the_password_reset_mail_names_the_platform_and_carries_the_link(outbox):
    user = UserFactory(email="carla@example.org")
    client = Client()

    client.post(reverse("account_reset_password"), {"email": user.email})

    [mail] = outbox
    assert mail.to == [user.email]
    assert "Initiative K" in mail.subject and "Initiative K" in mail.body
    assert informal_words(mail.subject + mail.body) == []
    reset_url = link_in(mail, "/konto/password/reset/key/")
    form = client.get(reset_url, follow=True)
    assert form.status_code == 200
    new_password = "ein-anderes-Passwort-17"
    client.post(form.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_a_reset_for_an_unknown_address_says_so_formally_and_offers_to_sign_up(outbox):
    Client().post(reverse("account_reset_password"), {"email": "niemand@example.org"})

    [mail] = outbox
    assert "niemand@example.org" in mail.body
    assert "Initiative K" in mail.body
    assert "/konto/signup/" in mail.body
    assert informal_words(mail.subject + mail.body) == []


def test_signing_up_with_a_known_address_sends_a_formal_hint_to_reset_the_password(outbox):
    UserFactory(email="carla@example.org")

    sign_up(Client())

    [mail] = outbox
    assert "Initiative K" in mail.body
    assert "/konto/password/reset/" in mail.body
    assert informal_words(mail.subject + mail.body) == []


def test_the_notification_of_a_changed_password_is_formal(outbox, settings):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    user = UserFactory(email="carla@example.org")
    new_password = "ein-anderes-Passwort-17"

    signed_in(user).post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )

    [mail] = outbox
    assert mail.to == [user.email]
    assert "Ihr Passwort wurde geändert" in mail.subject
    assert "Initiative K" in mail.body
    assert "IP-Adresse: 127.0.0.1" in mail.body
    assert informal_words(mail.subject + mail.body) == []


# --- Pages -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/konto/password/reset/done/",
        "/konto/confirm-email/",
        "/konto/confirm-email/kein-gueltiger-schluessel/",
        "/konto/password/reset/key/1-kein-gueltiger-schluessel/",
    ],
)
def test_the_pages_for_visitors_address_them_formally(path):
    response = Client().get(path, follow=True)

    assert response.status_code == 200
    assert informal_words(main_text(response)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/konto/email/",
        "/konto/password/change/",
        "/konto/logout/",
        "/konto/reauthenticate/",
        "/konto/2fa/",
        "/konto/2fa/totp/activate/",
    ],
)
def test_the_account_pages_address_the_person_formally(path, settings):
    settings.MFA_REQUIRED = False
    client = signed_in(UserFactory())

    response = client.get(path, follow=True)

    assert (response.status_code, response.redirect_chain) == (200, [])
    assert informal_words(main_text(response)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/konto/2fa/",
        "/konto/2fa/totp/deactivate/",
        "/konto/2fa/recovery-codes/generate/",
        "/konto/2fa/reauthenticate/",
    ],
)
def test_the_two_factor_pages_address_the_person_formally(path, settings):
    settings.MFA_REQUIRED = False
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())

    response = signed_in(user).get(path, follow=True)

    assert (response.status_code, response.redirect_chain) == (200, [])
    assert informal_words(main_text(response)) == []


@pytest.mark.django_db
def test_the_second_step_of_the_sign_in_addresses_the_person_formally():
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())

    response = Client().post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert informal_words(main_text(response)) == []


def test_the_messages_after_confirming_and_signing_out_are_formal(outbox):
    client = Client()
    after_sign_up = sign_up(client)
    assert informal_words(main_text(after_sign_up)) == []
    [mail] = outbox

    confirmed = client.post(link_in(mail, "/konto/confirm-email/"), follow=True)
    signed_out = client.post(reverse("account_logout"), follow=True)

    assert "Sie haben die Adresse carla@example.org bestätigt." in main_text(confirmed)
    assert "Sie haben sich abgemeldet." in main_text(signed_out)
    assert informal_words(main_text(confirmed) + main_text(signed_out)) == []


def test_the_check_finds_informal_german():
    assert informal_words("Bestätige deine E-Mail-Adresse. Du hast dich abgemeldet.") == [
        "Bestätige",
        "deine",
        "Du",
        "dich",
    ]
    assert informal_words("Bitte bestätigen Sie Ihre Adresse; Direktorin, Dirk, Steuer") == []
