"""Shared pieces of the builder services: team check, locking, slugs, refusal messages."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import permissions
from ..models import Answer, Question, Questionnaire, Response

# Fixed addresses directly under /erfahrungsaustausch/ that a slug must never shadow.
RESERVED_SLUGS = frozenset({"neu", "vorlagen", "export", "ergebnisse"})
SLUG_MAX = 120
KEY_MAX = 60
_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


@dataclass(frozen=True)
class ChoiceSpec:
    """A choice as the team wants it: ``pk`` of an existing choice (kept or renamed) or None
    for a new one. The order of a list of specs is the order of the choices."""

    label: str
    pk: int | None = None


def require_team(actor: Any) -> None:
    if not permissions.can_manage_questionnaires(actor):
        raise PermissionDenied


def locked(questionnaire: Questionnaire | int) -> Questionnaire:
    """The questionnaire row, locked until the end of the transaction."""
    pk = questionnaire if isinstance(questionnaire, int) else questionnaire.pk
    return Questionnaire.objects.select_for_update().get(pk=pk)


def bump(questionnaire: Questionnaire) -> None:
    Questionnaire.objects.filter(pk=questionnaire.pk).update(
        results_version=F("results_version") + 1
    )


def apply(obj: Any, data: dict[str, Any], allowed) -> None:
    """Set ``data`` on ``obj`` (strings stripped); other names than ``allowed`` are a bug."""
    for name, value in data.items():
        if name not in allowed:
            raise TypeError(f"{name} can't be set here")
        setattr(obj, name, value.strip() if isinstance(value, str) else value)


def renumber(items: list) -> None:
    """Positions 0, 1, 2, … in the order of ``items`` (only changed rows are saved)."""
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def check_direction(direction: str) -> bool:
    """True for "up", False for "down", ValidationError for anything else."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Verschieben geht nur nach oben oder unten."), code="direction")
    return direction == "up"


def _slug_base(text: str, limit: int, fallback: str) -> str:
    """A readable slug of at most ``limit`` characters, cut at a word boundary."""
    slug = slugify(text.translate(_GERMAN))
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-") or fallback


def _free(base: str, taken: set[str], limit: int) -> str:
    candidate, counter = base, 2
    while candidate in taken:
        suffix = f"-{counter}"
        candidate = base[: limit - len(suffix)].rstrip("-") + suffix
        counter += 1
    return candidate


def questionnaire_slug_pick(*, title: str) -> str:
    """A free slug from the title (umlauts spelled out), never a fixed address like ``neu``."""
    base = _slug_base(title, SLUG_MAX, "fragebogen")
    taken = set(Questionnaire.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return _free(base, taken | RESERVED_SLUGS, SLUG_MAX)


def question_key_pick(
    *, questionnaire: Questionnaire, text: str, exclude_pk: int | None = None
) -> str:
    """A key made from the question's text that is free within the questionnaire."""
    taken = set(
        Question.objects.filter(questionnaire=questionnaire)
        .exclude(pk=exclude_pk)
        .values_list("key", flat=True)
    )
    return _free(_slug_base(text, KEY_MAX, "frage"), taken, KEY_MAX)


def respondent_count(*, questionnaire: Questionnaire) -> int:
    """How many organizations have stored at least one answer (draft or submitted)."""
    return (
        Response.objects.filter(questionnaire=questionnaire, answers__isnull=False)
        .distinct()
        .count()
    )


def because(count: int) -> str:
    return ngettext(
        "weil bereits %(count)s Organisation geantwortet hat",
        "weil bereits %(count)s Organisationen geantwortet haben",
        count,
    ) % {"count": count}


def question_delete_refusal(*, respondents: int) -> str:
    """Why a question of a questionnaire with answers can't be deleted, and what to do."""
    return _(
        "Diese Frage kann nicht gelöscht werden, %(because)s. Sie können sie schließen: Sie wird "
        "dann nicht mehr gefragt, die vorhandenen Antworten bleiben erhalten."
    ) % {"because": because(respondents)}


def section_delete_refusal(*, respondents: int) -> str:
    """Why a section holding questions can't be deleted once there are answers."""
    return _(
        "Dieser Abschnitt enthält Fragen und kann nicht gelöscht werden, %(because)s. Schließen "
        "Sie stattdessen die einzelnen Fragen; ihre Antworten bleiben erhalten."
    ) % {"because": because(respondents)}


def question_answer_counts(*, questionnaire: Questionnaire) -> dict[int, int]:
    """Stored answers per question (pk → count), for the builder's overview."""
    rows = (
        Answer.objects.filter(question__questionnaire=questionnaire)
        .values("question")
        .annotate(count=Count("id"))
        .values_list("question", "count")
    )
    return dict(rows)
