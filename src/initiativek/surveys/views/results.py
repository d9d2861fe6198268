"""``/erfahrungsaustausch/<slug>/ergebnisse/``: the aggregated results for members (SPEC §6).

``?gruppe=`` chooses the comparison group the charts show, ``?organisation=`` whose answer is
highlighted (for people of several organizations), ``?frage=<key>`` one question with all its
texts and contacts.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from initiativek.organizations import permissions as org_permissions

from .. import permissions, selectors
from ..results import results_for_viewer, results_question


@require_safe
@login_required
def questionnaire_results(request, slug):
    """Anonymous: sign in. Signed in without a member organization: 403 with an explanation.
    Questionnaires the person may not see: 404."""
    if not org_permissions.is_platform_member(request.user):
        return render(request, "surveys/results_forbidden.html", status=403)
    questionnaire = selectors.questionnaire_get_for_user(user=request.user, slug=slug)
    if not permissions.can_see_results(request.user, questionnaire):
        raise PermissionDenied
    params = {
        "questionnaire": questionnaire,
        "user": request.user,
        "group_key": request.GET.get("gruppe", ""),
        "org_slug": request.GET.get("organisation", ""),
    }
    if "frage" in request.GET:
        detail = results_question(
            **params,
            question_key=request.GET["frage"],
            page_number=request.GET.get("seite"),
        )
        if detail is None:
            raise Http404
        query = request.GET.copy()
        query.pop("seite", None)
        return render(
            request,
            "surveys/results_question.html",
            {
                "questionnaire": questionnaire,
                "results": detail.page,
                "detail": detail,
                "query": query.urlencode(),
            },
        )
    results = results_for_viewer(**params)
    return render(
        request,
        "surveys/results.html",
        {"questionnaire": questionnaire, "results": results},
    )
