from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    ACCOUNT_PRIVACY_NOTICE = (
        "konto_datenschutzhinweis",
        _("Datenschutzhinweis bei der Registrierung zur Kenntnis genommen"),
    )
    EVENT_PRIVACY = "veranstaltung_datenschutz", _("Verarbeitung der Angaben zur Anmeldung")
    EVENT_LISTED = "veranstaltung_liste", _("Name in der Teilnehmendenliste zeigen")
    EVENT_ACCESS_NEEDS = "veranstaltung_barrierefreiheit", _("Angaben zur Barrierefreiheit")
    SURVEY_CONTACT = "fragebogen_kontakt", _("Ansprache zu den Antworten im Fragebogen")
    SURVEY_NAMED_TEXT = "fragebogen_namentlich", _("Freitexte mit dem Namen der Organisation")


class ConsentSource(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("Schnittstelle")
    SYSTEM = "system", _("System (Import, Demodaten)")


# Consents tied to an event registration.
EVENT_PURPOSES = (
    ConsentPurpose.EVENT_PRIVACY,
    ConsentPurpose.EVENT_LISTED,
    ConsentPurpose.EVENT_ACCESS_NEEDS,
)
# Consents an organization's editor gives for its questionnaire response; they belong to the
# organization and are changed in the questionnaire, not withdrawn by the person alone.
SURVEY_PURPOSES = (ConsentPurpose.SURVEY_CONTACT, ConsentPurpose.SURVEY_NAMED_TEXT)
# What the person can withdraw on "Meine Daten". The sign-up acknowledgement ends with the
# account (delete the account instead).
WITHDRAWABLE = EVENT_PURPOSES
