"""Reads of the experience exchange, including what a person may see."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.constants import OrganizationKind, Role
from initiativek.organizations.models import Organization

from . import permissions
from .constants import Phase, QuestionnaireStatus
from .engine import AnswerValue, value_from_answer
from .models import Answer, Question, Questionnaire, Response, Section


def questionnaire_list_for_user(*, user: Any) -> list[Questionnaire]:
    """Published questionnaires for members; the team also sees drafts and templates."""
    queryset = Questionnaire.objects.select_related("event").order_by("-opens_on", "title")
    if permissions.can_manage_questionnaires(user):
        return list(queryset)
    # permissions.can_see_questionnaire, with its membership check asked once for all
    if not org_permissions.is_platform_member(user):
        return []
    queryset = queryset.filter(status=QuestionnaireStatus.PUBLISHED, is_template=False)
    return [q for q in queryset if q.phase() not in (Phase.DRAFT, Phase.TEMPLATE)]


def questionnaire_get_for_user(*, user: Any, slug: str) -> Questionnaire:
    """The questionnaire, or 404 if it doesn't exist or the person may not see it."""
    questionnaire = Questionnaire.objects.filter(slug=slug).first()
    if questionnaire is None or not permissions.can_see_questionnaire(user, questionnaire):
        raise Http404
    return questionnaire


def questionnaire_structure(
    *, questionnaire: Questionnaire, include_retired: bool = False
) -> list[tuple[Section, list[Question]]]:
    """Sections in order with their questions (and choices) in order."""
    questions = Question.objects.prefetch_related("choices").order_by("position", "id")
    if not include_retired:
        questions = questions.filter(is_retired=False)
    sections = questionnaire.sections.prefetch_related(
        Prefetch("questions", queryset=questions, to_attr="ordered_questions")
    ).order_by("position", "id")
    return [(section, section.ordered_questions) for section in sections]


def questionnaire_questions(
    *, questionnaire: Questionnaire, include_retired: bool = False
) -> list[Question]:
    """All questions in the order they are asked."""
    return [
        question
        for _section, questions in questionnaire_structure(
            questionnaire=questionnaire, include_retired=include_retired
        )
        for question in questions
    ]


def questionnaire_has_answers(*, questionnaire: Questionnaire) -> bool:
    """Once any organization has answered, questions can't be removed or change their kind."""
    return Answer.objects.filter(response__questionnaire=questionnaire).exists()


def answerable_organizations_for_user(
    *, user: Any, questionnaire: Questionnaire
) -> list[Organization]:
    """The organizations whose response this person may fill in for this questionnaire."""
    organizations = _organizations_answering_for(user=user)
    return [org for org in organizations if permissions.is_in_audience(questionnaire, org)]


def _organizations_answering_for(*, user: Any) -> list[Organization]:
    """The organizations whose responses this person fills in, whatever the audience."""
    if not user.is_authenticated:
        return []
    return list(
        Organization.objects.filter(
            memberships__user=user, memberships__role__in=[Role.ADMIN, Role.EDITOR]
        ).order_by("name")
    )


def viewer_organizations(*, user: Any) -> list[Organization]:
    """Organizations the person belongs to (any role) – whose answers the results highlight."""
    if not user.is_authenticated:
        return []
    return list(
        Organization.objects.filter(memberships__user=user, is_member=True)
        .exclude(kind=OrganizationKind.PARTNER)
        .select_related("region")
        .order_by("name")
    )


def response_for(*, questionnaire: Questionnaire, organization: Organization) -> Response | None:
    return (
        Response.objects.filter(questionnaire=questionnaire, organization=organization)
        .select_related("submitted_by", "updated_by")
        .first()
    )


def response_values(*, response: Response | None) -> dict[int, AnswerValue]:
    """The stored answers of a response as question pk → AnswerValue."""
    if response is None or response.pk is None:
        return {}
    answers = response.answers.prefetch_related("choices")
    return {answer.question_id: value_from_answer(answer) for answer in answers}


def response_get_for_user(*, user: Any, questionnaire: Questionnaire, org_slug: str) -> Response:
    """A stored response the person may look at (its organization's people, the team)."""
    response = (
        Response.objects.filter(questionnaire=questionnaire, organization__slug=org_slug)
        .select_related("organization")
        .first()
    )
    if response is None or not permissions.can_view_response(user, response):
        raise Http404
    return response


def response_changes(*, response: Response) -> QuerySet:
    return response.changes.select_related("user")


def open_questionnaires_for_user(*, user: Any) -> list[tuple[Questionnaire, list[tuple]]]:
    """For the dashboard: open questionnaires the person can answer for, each with
    (organization, response or None) pairs."""
    if not org_permissions.is_platform_member(user):
        return []
    own = _organizations_answering_for(user=user)
    if not own:
        return []
    candidates = Questionnaire.objects.filter(
        status=QuestionnaireStatus.PUBLISHED, is_template=False
    )
    questionnaires = [q for q in candidates if q.phase() == Phase.OPEN]
    responses = {
        (r.questionnaire_id, r.organization_id): r
        for r in Response.objects.filter(questionnaire__in=questionnaires, organization__in=own)
    }
    result = []
    for questionnaire in questionnaires:
        organizations = [org for org in own if permissions.is_in_audience(questionnaire, org)]
        if organizations:
            pairs = [(org, responses.get((questionnaire.pk, org.pk))) for org in organizations]
            result.append((questionnaire, pairs))
    return result


def audience_label(*, questionnaire: Questionnaire) -> str:
    """„alle Mitgliedsorganisationen“ or the chosen kinds, for people reading the page."""
    if not questionnaire.audience_kinds:
        return _("alle Mitgliedsorganisationen")
    labels = [
        str(OrganizationKind(kind).label)
        for kind in questionnaire.audience_kinds
        if kind in OrganizationKind.values
    ]
    return _("Mitgliedsorganisationen: %(kinds)s") % {"kinds": ", ".join(labels)}


def questionnaire_list_for_event(*, event: Any, user: Any) -> list[Questionnaire]:
    """Feedback questionnaires of an event that this person may see (members: published)."""
    if not user.is_authenticated:
        return []
    candidates = Questionnaire.objects.filter(event=event, is_template=False)
    return [q for q in candidates if permissions.can_see_questionnaire(user, q)]
