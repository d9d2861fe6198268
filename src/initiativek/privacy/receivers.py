"""Consent records follow the consents stored by the events and surveys apps.

Signals here decouple the apps (STYLE: "signals only to decouple apps"): registration and
questionnaire services keep their flags (``Registration.listed``, ``Response.consent_contact``
…) and need not know that the privacy app keeps the record with the wording and version.
The receivers run inside the saving transaction, so a record exists exactly when the flag was
stored. Bulk updates (anonymization) send no signal on purpose.
"""

from django.db.models.signals import post_save

REGISTRATION_CONSENT_FIELDS = {"listed", "access_needs"}
RESPONSE_CONSENT_FIELDS = {"consent_contact", "consent_named_text"}


def registration_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:  # loading fixtures
        return
    if (
        not created
        and update_fields is not None
        and not REGISTRATION_CONSENT_FIELDS & set(update_fields)
    ):
        return
    from .services import consent_sync_registration

    consent_sync_registration(registration=instance, created=created)


def response_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not RESPONSE_CONSENT_FIELDS & set(update_fields):
        return
    from .services import consent_sync_response

    consent_sync_response(response=instance)


def connect() -> None:
    post_save.connect(
        registration_saved, sender="events.Registration", dispatch_uid="privacy-registration"
    )
    post_save.connect(response_saved, sender="surveys.Response", dispatch_uid="privacy-response")
