"""The experience exchange's start page and a questionnaire's overview page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from initiativek.organizations import permissions as org_permissions

from .. import permissions, selectors
from ..constants import Phase


def questionnaire_list(request: HttpRequest) -> HttpResponse:
    """Public introduction; members see the questionnaires, the team also drafts and
    templates."""
    user = request.user
    questionnaires = selectors.questionnaire_list_for_user(user=user)
    by_phase: dict[str, list] = {phase: [] for phase in Phase.values}
    for questionnaire in questionnaires:
        by_phase[questionnaire.phase()].append(questionnaire)
    return render(
        request,
        "surveys/list.html",
        {
            "open": by_phase[Phase.OPEN],
            "scheduled": by_phase[Phase.SCHEDULED],
            "closed": by_phase[Phase.CLOSED],
            "drafts": by_phase[Phase.DRAFT],
            "templates": by_phase[Phase.TEMPLATE],
            "my_open": selectors.open_questionnaires_for_user(user=user),
            "is_member": org_permissions.is_platform_member(user),
            "is_team": permissions.can_manage_questionnaires(user),
        },
    )


@login_required
def questionnaire_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    questionnaire = selectors.questionnaire_get_for_user(user=user, slug=slug)
    organizations = selectors.answerable_organizations_for_user(
        user=user, questionnaire=questionnaire
    )
    own = [
        (org, selectors.response_for(questionnaire=questionnaire, organization=org))
        for org in organizations
    ]
    structure = selectors.questionnaire_structure(questionnaire=questionnaire)
    return render(
        request,
        "surveys/detail.html",
        {
            "questionnaire": questionnaire,
            "phase": questionnaire.phase(),
            "own": own,
            "sections": structure,
            "question_count": sum(len(questions) for _s, questions in structure),
            "audience": selectors.audience_label(questionnaire=questionnaire),
            "is_team": permissions.can_manage_questionnaires(user),
            "can_see_results": permissions.can_see_results(user, questionnaire),
        },
    )
