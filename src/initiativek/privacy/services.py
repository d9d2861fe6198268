"""Every write to consent records, and the retention of the mail outbox."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from initiativek.core.constants import MailStatus
from initiativek.core.models import OutgoingMail
from initiativek.core.services import audit_log

from .constants import SURVEY_PURPOSES, WITHDRAWABLE, ConsentPurpose, ConsentSource
from .models import ConsentRecord, ConsentText
from .selectors import consent_get_for_user
from .texts import Wording, consent_wording


def _consent_text(*, purpose: str, wording: Wording, language: str) -> ConsentText:
    lookup = {"purpose": purpose, "version": wording.version, "sha256": wording.sha256}
    text = ConsentText.objects.filter(**lookup).first()
    if text is not None:
        return text
    try:
        with transaction.atomic():
            return ConsentText.objects.create(**lookup, language=language, text=wording.text)
    except IntegrityError:  # a parallel request stored the same wording first
        return ConsentText.objects.get(**lookup)


def consent_give(
    *,
    purpose: str,
    user: Any | None = None,
    email: str = "",
    registration: Any | None = None,
    response: Any | None = None,
    source: str = ConsentSource.WEB,
    version: str = "",
    language: str = "",
    given_at: datetime | None = None,
) -> ConsentRecord:
    """Record that a person (``user`` or, for guests, ``email``) agreed to ``purpose`` in the
    wording shown in ``language`` (default: the active language)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        wording = consent_wording(purpose=purpose, version=version)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    record = ConsentRecord(
        purpose=purpose,
        text=_consent_text(purpose=purpose, wording=wording, language=language),
        user=user,
        email=email.strip().lower(),
        registration=registration,
        response=response,
        source=source,
        given_at=given_at or timezone.now(),
    )
    record.full_clean()
    record.save()
    return record


def _consent_sync(*, purpose: str, wanted: bool, scope: dict[str, Any], **give: Any) -> None:
    """Make the consent state of ``purpose`` within ``scope`` (one registration or response)
    match the stored flag: give it when newly set, withdraw it when cleared."""
    active = ConsentRecord.objects.filter(purpose=purpose, withdrawn_at=None, **scope)
    if wanted and not active.exists():
        consent_give(purpose=purpose, **scope, **give)
    elif not wanted:
        active.update(withdrawn_at=timezone.now())


def consent_sync_registration(*, registration: Any, created: bool) -> None:
    """The consents of an event registration. A new one records the privacy consent it was
    made with and, if chosen, the consents to be listed and to the accessibility needs; later
    saves only withdraw those two when the registration no longer carries them (they are
    given on the registration form only)."""
    from initiativek.events.services_privacy import registration_is_anonymized

    if registration_is_anonymized(registration):
        return
    flags = {
        ConsentPurpose.EVENT_LISTED: registration.listed,
        ConsentPurpose.EVENT_ACCESS_NEEDS: bool(registration.access_needs.strip()),
    }
    if not created:
        cleared = [purpose for purpose, wanted in flags.items() if not wanted]
        ConsentRecord.objects.filter(
            registration=registration, purpose__in=cleared, withdrawn_at=None
        ).update(withdrawn_at=timezone.now())
        return
    give = {
        "user": registration.user,
        "email": registration.email,
        "registration": registration,
        "version": registration.privacy_text_version,
        "language": registration.language,
        "given_at": registration.privacy_consent_at,
    }
    consent_give(purpose=ConsentPurpose.EVENT_PRIVACY, **give)
    for purpose, wanted in flags.items():
        if wanted:
            consent_give(purpose=purpose, **give)


def consent_sync_response(*, response: Any) -> None:
    """The two consents of a questionnaire response, given (or withdrawn) by the editor who
    saved it on behalf of the organization."""
    source = ConsentSource.SYSTEM if response.is_demo else ConsentSource.WEB
    for purpose, field in (
        (ConsentPurpose.SURVEY_CONTACT, "consent_contact"),
        (ConsentPurpose.SURVEY_NAMED_TEXT, "consent_named_text"),
    ):
        _consent_sync(
            purpose=purpose,
            wanted=bool(getattr(response, field)),
            scope={"response": response},
            user=response.updated_by,
            source=source,
        )


@transaction.atomic
def consent_withdraw(*, user: Any, record_id: int) -> ConsentRecord:
    """The person withdraws one of their consents to an event registration, with its effect:
    not listed any more, accessibility needs deleted, or – for the privacy consent – the
    registration cancelled and its personal data anonymized. Withdrawing twice changes
    nothing. Other people's records are a 404."""
    from initiativek.events import services_privacy as event_privacy

    record = consent_get_for_user(user=user, pk=record_id)
    if record is None:
        raise Http404(_("Diese Einwilligung gibt es nicht."))
    if record.purpose not in WITHDRAWABLE or record.registration is None:
        raise ValidationError(_("Diese Einwilligung kann hier nicht widerrufen werden."))
    if record.withdrawn_at is not None:
        return record
    now = timezone.now()
    registration = record.registration
    if record.purpose == ConsentPurpose.EVENT_PRIVACY:
        # Without it the registration can't stand: every consent of it ends.
        ConsentRecord.objects.filter(registration=registration, withdrawn_at=None).update(
            withdrawn_at=now
        )
    else:
        ConsentRecord.objects.filter(pk=record.pk).update(withdrawn_at=now)
    if record.purpose == ConsentPurpose.EVENT_PRIVACY:
        event_privacy.registration_erase(registration=registration, actor=user)
    elif record.purpose == ConsentPurpose.EVENT_LISTED:
        event_privacy.registration_unlist(registration=registration, actor=user)
    else:
        event_privacy.registration_access_needs_clear(registration=registration, actor=user)
    audit_log(
        actor=user,
        action="privacy.consent.withdrawn",
        obj=record,
        data={"purpose": record.purpose},
    )
    record.refresh_from_db()
    return record


def consent_anonymize_for_registrations(*, registration_ids: list[int]) -> int:
    """Drop the person from the consent records of anonymized registrations; the records stay
    as proof that consent was given."""
    return ConsentRecord.objects.filter(registration_id__in=registration_ids).update(
        user=None, email=""
    )


def consent_end_for_user(*, user: Any, email: str) -> int:
    """The account is being deleted: the person's own consents end and lose their link to
    the person. Consents given for an organization's questionnaire response stay in force
    (they are the organization's), only the person's name is removed from them."""
    now = timezone.now()
    mine = ConsentRecord.objects.filter(Q(user=user) | Q(email__iexact=email))
    personal = mine.exclude(purpose__in=SURVEY_PURPOSES)
    ended = personal.filter(withdrawn_at=None).update(withdrawn_at=now)
    personal.update(user=None, email="")
    mine.filter(purpose__in=SURVEY_PURPOSES).update(user=None, email="")
    return ended


def outbox_purge_old(*, days: int | None = None, now: datetime | None = None) -> int:
    """Delete sent (or finally failed) mails older than ``days`` (default
    ``MAIL_RETENTION_DAYS``): the outbox keeps recipients' addresses and texts only as long as
    they are needed to deliver and to answer questions about delivery."""
    days = settings.MAIL_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _details = OutgoingMail.objects.filter(
        status__in=[MailStatus.SENT, MailStatus.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted
