"""The wording of every consent and its version.

Where a form shows the consent, the wording is taken from that form's field (label and help
text), so what is recorded is exactly what the person saw. Raise the version when the
meaning changes; the SHA-256 stored with each record catches edits nobody versioned.
"""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .constants import ConsentPurpose

ACCOUNT_PRIVACY_NOTICE_VERSION = "2026-11-25"
SURVEY_CONSENT_VERSION = "2026-11-25"

# Shown on the sign-up form (templates/account/signup.html) next to a link to the privacy page.
ACCOUNT_PRIVACY_NOTICE = _(
    "Mit der Registrierung legen Sie ein persönliches Konto an. Wir speichern Ihren Namen, Ihre "
    "Funktion und Ihre E-Mail-Adresse, um Ihnen die Plattform bereitzustellen. Was wir sonst "
    "verarbeiten, welche Rechte Sie haben und wie Sie Ihr Konto wieder löschen, steht im "
    "Datenschutzhinweis."
)


@dataclass(frozen=True)
class Wording:
    version: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _field_text(form_class, name: str) -> str:
    field = form_class.base_fields[name]
    parts = [str(field.label or ""), str(field.help_text or "")]
    return "\n\n".join(part for part in parts if part)


def _event_text(purpose: str) -> str:
    from initiativek.events.forms import RegistrationForm

    field = {
        ConsentPurpose.EVENT_PRIVACY: "privacy",
        ConsentPurpose.EVENT_LISTED: "listed",
        ConsentPurpose.EVENT_ACCESS_NEEDS: "access_needs",
    }[purpose]
    return _field_text(RegistrationForm, field)


def _survey_text(purpose: str) -> str:
    from initiativek.surveys.forms import ResponseForm

    field = {
        ConsentPurpose.SURVEY_CONTACT: "consent_contact",
        ConsentPurpose.SURVEY_NAMED_TEXT: "consent_named_text",
    }[purpose]
    return _field_text(ResponseForm, field)


def consent_wording(*, purpose: str, version: str = "") -> Wording:
    """The wording of ``purpose`` in the active language. ``version`` overrides the current
    version where the caller stored the one it showed (event registrations keep theirs)."""
    from initiativek.events.constants import PRIVACY_TEXT_VERSION

    if purpose == ConsentPurpose.ACCOUNT_PRIVACY_NOTICE:
        return Wording(version or ACCOUNT_PRIVACY_NOTICE_VERSION, str(ACCOUNT_PRIVACY_NOTICE))
    if purpose in (
        ConsentPurpose.EVENT_PRIVACY,
        ConsentPurpose.EVENT_LISTED,
        ConsentPurpose.EVENT_ACCESS_NEEDS,
    ):
        return Wording(version or PRIVACY_TEXT_VERSION, _event_text(purpose))
    if purpose in (ConsentPurpose.SURVEY_CONTACT, ConsentPurpose.SURVEY_NAMED_TEXT):
        return Wording(version or SURVEY_CONSENT_VERSION, _survey_text(purpose))
    raise ValueError(f"Unknown consent purpose {purpose!r}")
