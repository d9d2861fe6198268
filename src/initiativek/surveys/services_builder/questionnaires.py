"""Builder services for questionnaires (create, edit, publish, close, copy, delete) and their
sections. See the package docstring for the rules."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from initiativek.core.constants import NotificationKind
from initiativek.core.notifications import notify
from initiativek.core.services import audit_log
from initiativek.organizations.constants import OrganizationKind, Role
from initiativek.organizations.models import Organization

from .. import permissions, selectors
from ..constants import Phase, QuestionnaireStatus
from ..models import Choice, Question, Questionnaire, Section
from .common import (
    apply,
    bump,
    check_direction,
    locked,
    questionnaire_slug_pick,
    renumber,
    require_team,
    respondent_count,
    section_delete_refusal,
)

QUESTIONNAIRE_FIELDS = frozenset(
    {"title", "introduction", "opens_on", "closes_on", "audience_kinds", "event"}
)
QUESTION_COPY_FIELDS = (
    "key",
    "text",
    "help_text",
    "kind",
    "required",
    "position",
    "unit",
    "min_value",
    "max_value",
    "scale_min_label",
    "scale_max_label",
    "allow_other",
)


# Questionnaires


def _check_questionnaire(questionnaire: Questionnaire) -> None:
    errors: dict[str, str] = {}
    allowed = set(OrganizationKind.values) - {OrganizationKind.PARTNER}
    if not set(questionnaire.audience_kinds) <= allowed:
        errors["audience_kinds"] = _("Bitte wählen Sie nur Arten von Mitgliedsorganisationen.")
    opens_on, closes_on = questionnaire.opens_on, questionnaire.closes_on
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = _("Das Ende darf nicht vor dem Beginn liegen.")
    if questionnaire.status == QuestionnaireStatus.PUBLISHED:
        for name, value in (("opens_on", opens_on), ("closes_on", closes_on)):
            if value is None:
                errors[name] = _("Ein veröffentlichter Fragebogen braucht dieses Datum.")
    if errors:
        raise ValidationError(errors)
    questionnaire.full_clean()


def _save_new_questionnaire(questionnaire: Questionnaire) -> None:
    questionnaire.slug = questionnaire_slug_pick(title=questionnaire.title)
    _check_questionnaire(questionnaire)
    try:
        with transaction.atomic():
            questionnaire.save()
    except IntegrityError as exc:  # a parallel request took the same slug a moment ago
        raise ValidationError(
            _("Der Fragebogen konnte nicht gespeichert werden. Bitte versuchen Sie es erneut.")
        ) from exc


@transaction.atomic
def questionnaire_create(*, actor: Any, data: dict[str, Any]) -> Questionnaire:
    """A new draft (``data``: title, introduction, opens_on, closes_on, audience_kinds, event);
    the slug comes from the title and stays when the title changes."""
    require_team(actor)
    questionnaire = Questionnaire(created_by=actor, status=QuestionnaireStatus.DRAFT)
    apply(questionnaire, data, QUESTIONNAIRE_FIELDS)
    _save_new_questionnaire(questionnaire)
    audit_log(actor=actor, action="surveys.questionnaire.created", obj=questionnaire)
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *, actor: Any, questionnaire: Questionnaire, data: dict[str, Any]
) -> Questionnaire:
    """Change title, introduction, dates, audience or event link.

    A published questionnaire keeps both dates. Reopening after closing early: setting a
    *different* closing date of today or later clears ``closed_at`` – answering is possible
    again until that date. Other edits leave an early closing in place.
    """
    require_team(actor)
    questionnaire = locked(questionnaire)
    old_closes_on = questionnaire.closes_on
    apply(questionnaire, data, QUESTIONNAIRE_FIELDS)
    reopened = (
        questionnaire.closed_at is not None
        and questionnaire.closes_on is not None
        and questionnaire.closes_on != old_closes_on
        and questionnaire.closes_on >= timezone.localdate()
    )
    if reopened:
        questionnaire.closed_at = None
    _check_questionnaire(questionnaire)
    questionnaire.save()
    bump(questionnaire)
    audit_log(
        actor=actor,
        action="surveys.questionnaire.reopened" if reopened else "surveys.questionnaire.changed",
        obj=questionnaire,
        data={"fields": sorted(data)},
    )
    return questionnaire


def _publish_problems(questionnaire: Questionnaire) -> list[str]:
    opens_on, closes_on = questionnaire.opens_on, questionnaire.closes_on
    problems = []
    if opens_on is None or closes_on is None:
        problems.append(_("Legen Sie fest, von wann bis wann geantwortet werden kann."))
    elif closes_on < opens_on:
        problems.append(_("Das Ende liegt vor dem Beginn."))
    elif closes_on < timezone.localdate():
        problems.append(_("Das Ende liegt in der Vergangenheit."))
    if not questionnaire.questions.filter(is_retired=False).exists():
        problems.append(_("Der Fragebogen hat noch keine Frage."))
    return problems


def questionnaire_publish_problems(*, questionnaire: Questionnaire) -> list[str]:
    """What still stands in the way of publishing (empty: ready) – for the confirmation page."""
    if questionnaire.is_template:
        return [_("Vorlagen werden nicht veröffentlicht, sondern kopiert.")]
    if questionnaire.status == QuestionnaireStatus.PUBLISHED:
        return [_("Der Fragebogen ist bereits veröffentlicht.")]
    return _publish_problems(questionnaire)


def _audience_editors(questionnaire: Questionnaire) -> list:
    organizations = Organization.objects.filter(is_member=True).exclude(
        kind=OrganizationKind.PARTNER
    )
    if questionnaire.audience_kinds:
        organizations = organizations.filter(kind__in=questionnaire.audience_kinds)
    pks = [org.pk for org in organizations if permissions.is_in_audience(questionnaire, org)]
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organization__in=pks,
            memberships__role__in=[Role.ADMIN, Role.EDITOR],
        )
        .distinct()
    )


@transaction.atomic
def questionnaire_publish(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    """Publish a draft: needs both dates (the end not in the past) and a question. Admins and
    editors of the audience organizations get a notification in the platform and, unless they
    switched it off, an e-mail."""
    require_team(actor)
    questionnaire = locked(questionnaire)
    problems = questionnaire_publish_problems(questionnaire=questionnaire)
    if problems:
        raise ValidationError(problems, code="not_ready")
    questionnaire.status = QuestionnaireStatus.PUBLISHED
    _check_questionnaire(questionnaire)
    questionnaire.save()
    bump(questionnaire)
    recipients = _audience_editors(questionnaire)
    notify(
        users=recipients,
        kind=NotificationKind.QUESTIONNAIRE,
        text=_("Neuer Fragebogen „%(title)s“: Antworten sind vom %(opens)s bis %(closes)s möglich.")
        % {
            "title": questionnaire.title,
            "opens": date_format(questionnaire.opens_on, "DATE_FORMAT"),
            "closes": date_format(questionnaire.closes_on, "DATE_FORMAT"),
        },
        url=questionnaire.get_absolute_url(),
        mail_template="mail/questionnaire_published",
        mail_context={"questionnaire": questionnaire},
    )
    audit_log(
        actor=actor,
        action="surveys.questionnaire.published",
        obj=questionnaire,
        data={"notified": len(recipients)},
    )
    return questionnaire


@transaction.atomic
def questionnaire_close(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    """Close a published questionnaire early; stored answers stay. The team reopens it by
    setting a new closing date (``questionnaire_update``)."""
    require_team(actor)
    questionnaire = locked(questionnaire)
    if questionnaire.status != QuestionnaireStatus.PUBLISHED or questionnaire.is_template:
        raise ValidationError(_("Nur veröffentlichte Fragebögen können geschlossen werden."))
    if questionnaire.phase() == Phase.CLOSED:
        raise ValidationError(_("Der Fragebogen ist bereits geschlossen."))
    questionnaire.closed_at = timezone.now()
    questionnaire.save(update_fields=["closed_at", "updated_at"])
    bump(questionnaire)
    audit_log(actor=actor, action="surveys.questionnaire.closed", obj=questionnaire)
    return questionnaire


@transaction.atomic
def questionnaire_copy(
    *, actor: Any, questionnaire: Questionnaire, title: str = "", event=None
) -> Questionnaire:
    """A new draft with copies of the sections, the asked (not retired) questions and their
    choices; without dates, optionally linked to ``event``. This is how a template such as
    "Feedback zur Veranstaltung" becomes an event's feedback questionnaire."""
    require_team(actor)
    source = locked(questionnaire)
    title = title.strip() or _("Kopie von %(title)s") % {"title": source.title}
    copy = Questionnaire(
        title=title[:200],
        introduction=source.introduction,
        audience_kinds=list(source.audience_kinds),
        event=event,
        created_by=actor,
    )
    _save_new_questionnaire(copy)
    for section in source.sections.order_by("position", "id"):
        new_section = Section.objects.create(
            questionnaire=copy,
            title=section.title,
            description=section.description,
            position=section.position,
        )
        questions = section.questions.filter(is_retired=False).prefetch_related("choices")
        for question in questions.order_by("position", "id"):
            values = {name: getattr(question, name) for name in QUESTION_COPY_FIELDS}
            new = Question.objects.create(questionnaire=copy, section=new_section, **values)
            Choice.objects.bulk_create(
                Choice(question=new, label=choice.label, position=choice.position)
                for choice in question.choices.all()
            )
    audit_log(
        actor=actor, action="surveys.questionnaire.copied", obj=copy, data={"from": source.slug}
    )
    return copy


@transaction.atomic
def questionnaire_delete(*, actor: Any, questionnaire: Questionnaire) -> None:
    """Delete a draft or template nobody has answered; published ones are closed instead."""
    require_team(actor)
    questionnaire = locked(questionnaire)
    if questionnaire.status == QuestionnaireStatus.PUBLISHED and not questionnaire.is_template:
        raise ValidationError(
            _(
                "Ein veröffentlichter Fragebogen kann nicht gelöscht werden. Schließen Sie ihn "
                "stattdessen; die Antworten bleiben erhalten."
            )
        )
    if questionnaire.responses.exists():
        raise ValidationError(_("Zu diesem Fragebogen gibt es Antworten; er bleibt erhalten."))
    audit_log(
        actor=actor,
        action="surveys.questionnaire.deleted",
        obj=questionnaire,
        data={"title": questionnaire.title},
    )
    questionnaire.delete()


# Sections


def _section_save(actor: Any, section: Section, data: dict[str, Any], action: str) -> Section:
    apply(section, data, {"title", "description"})
    section.full_clean()
    section.save()
    bump(section.questionnaire)
    audit_log(
        actor=actor, action=action, obj=section.questionnaire, data={"section": section.title}
    )
    return section


@transaction.atomic
def section_create(*, actor: Any, questionnaire: Questionnaire, data: dict[str, Any]) -> Section:
    """Add a section (title, description) at the end."""
    require_team(actor)
    questionnaire = locked(questionnaire)
    last = questionnaire.sections.aggregate(last=Max("position"))["last"]
    section = Section(questionnaire=questionnaire, position=0 if last is None else last + 1)
    return _section_save(actor, section, data, "surveys.section.created")


@transaction.atomic
def section_update(*, actor: Any, section: Section, data: dict[str, Any]) -> Section:
    require_team(actor)
    questionnaire = locked(section.questionnaire_id)
    section = questionnaire.sections.get(pk=section.pk)
    return _section_save(actor, section, data, "surveys.section.changed")


@transaction.atomic
def section_move(*, actor: Any, section: Section, direction: str) -> None:
    """Swap the section with its neighbour ("up" or "down"); at either end nothing changes."""
    require_team(actor)
    up = check_direction(direction)
    questionnaire = locked(section.questionnaire_id)
    sections = list(questionnaire.sections.order_by("position", "id"))
    index = next(i for i, other in enumerate(sections) if other.pk == section.pk)
    target = index - 1 if up else index + 1
    if 0 <= target < len(sections):
        sections[index], sections[target] = sections[target], sections[index]
    renumber(sections)
    bump(questionnaire)
    audit_log(actor=actor, action="surveys.section.moved", obj=questionnaire)


@transaction.atomic
def section_delete(*, actor: Any, section: Section) -> None:
    """Delete a section – with its questions while nobody has answered; once there are
    answers only an empty section."""
    require_team(actor)
    questionnaire = locked(section.questionnaire_id)
    section = questionnaire.sections.get(pk=section.pk)
    if section.questions.exists() and selectors.questionnaire_has_answers(
        questionnaire=questionnaire
    ):
        raise ValidationError(
            section_delete_refusal(respondents=respondent_count(questionnaire=questionnaire))
        )
    title = section.title
    section.delete()
    bump(questionnaire)
    audit_log(
        actor=actor, action="surveys.section.deleted", obj=questionnaire, data={"section": title}
    )
