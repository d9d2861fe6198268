"""Writes of the team's progress tools: reminding organizations that have not submitted yet,
and recording exports of the responses."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from initiativek.core.services import audit_log, mail_queue_template

from . import permissions, selectors_progress
from .constants import Phase
from .models import Questionnaire

# People have no language of their own yet; reminders go out in the platform's language.
REMINDER_LANGUAGE = "de"


@dataclass(frozen=True)
class RemindResult:
    organizations: int  # organizations reminded: not submitted, with someone to write to
    recipients: int  # mails queued, one per person
    unreachable: int  # organizations not submitted without an active admin or editor


def _check_remindable(questionnaire: Questionnaire, organization_ids: list[int] | None) -> None:
    if questionnaire.phase() != Phase.OPEN:
        raise ValidationError(
            _("Erinnerungen sind nur möglich, solange der Fragebogen offen ist."), code="closed"
        )
    if organization_ids is not None and not organization_ids:
        raise ValidationError(
            _("Bitte wählen Sie mindestens eine Organisation aus."), code="nothing_chosen"
        )


def _reminder_mail(questionnaire: Questionnaire, person: Any, rows: list) -> None:
    organizations = [
        {
            "name": row.organization.name,
            "state": row.state,
            "state_label": row.state_label,
            "url": settings.SITE_URL
            + reverse(
                "surveys:answer",
                kwargs={"slug": questionnaire.slug, "org_slug": row.organization.slug},
            ),
        }
        for row in rows
    ]
    mail_queue_template(
        to=[person.email],
        template="mail/survey_reminder",
        context={
            "questionnaire": questionnaire,
            "person": person,
            "organizations": organizations,
        },
        language=REMINDER_LANGUAGE,
    )


def questionnaire_remind(
    *, questionnaire: Questionnaire, user: Any, organization_ids: list[int] | None = None
) -> RemindResult:
    """Remind the active admins and editors of audience organizations that have not submitted
    (all of them, or those of ``organization_ids``) by e-mail – one mail per person, naming
    each of their organizations with its state and the link to answer.

    Only the team, only while the questionnaire is open. Chosen ids must all be organizations
    of the audience that have not submitted yet, otherwise nothing is sent (ValidationError);
    so is nothing if nobody could be reached. Records ``last_reminder_at`` and an audit entry.
    """
    if not permissions.can_manage_questionnaires(user):
        raise PermissionDenied(_("Nur das Team der Initiative kann Erinnerungen verschicken."))
    with transaction.atomic():
        questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        _check_remindable(questionnaire, organization_ids)
        plan = selectors_progress.reminder_plan(
            questionnaire=questionnaire, organization_ids=organization_ids
        )
        if plan.refused_ids:
            raise ValidationError(
                _(
                    "Mindestens eine der gewählten Organisationen gehört nicht zur Zielgruppe "
                    "oder hat bereits abgeschickt. Es wurde keine Erinnerung verschickt."
                ),
                code="refused",
            )
        if not plan.recipients:
            raise ValidationError(
                _(
                    "Niemand kann erinnert werden: Keine der Organisationen, die noch nicht "
                    "abgeschickt haben, hat jemanden in Administration oder Redaktion."
                ),
                code="nobody",
            )
        for person, rows in plan.recipients.items():
            _reminder_mail(questionnaire, person, rows)
        result = RemindResult(
            organizations=len(plan.reachable_rows),
            recipients=len(plan.recipients),
            unreachable=len(plan.unreachable_rows),
        )
        questionnaire.last_reminder_at = timezone.now()
        questionnaire.save(update_fields=["last_reminder_at", "updated_at"])
        audit_log(
            actor=user,
            action=selectors_progress.REMINDED_ACTION,
            obj=questionnaire,
            data={
                "organizations": result.organizations,
                "recipients": result.recipients,
                "unreachable": result.unreachable,
                "chosen": organization_ids is not None,
            },
        )
    return result


def questionnaire_exported(
    *, questionnaire: Questionnaire, user: Any, file_format: str, rows: int
) -> None:
    """Record that ``user`` downloaded all responses (they leave the platform)."""
    audit_log(
        actor=user,
        action="surveys.responses.exported",
        obj=questionnaire,
        data={"format": file_format, "rows": rows},
    )
