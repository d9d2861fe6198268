"""The team's progress tools: who of the audience has answered, a reminder e-mail to those who
have not, and the export of all responses. The initiative team only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from initiativek.core.views_utils import pagination_query, parse_id

from .. import exports, permissions, selectors, selectors_progress, services_progress
from ..constants import ProgressState
from ..models import Questionnaire

PAGE_PARAM = "seite"
CHOSEN_PARAM = "organisation"
# Set by the "remind the chosen ones" button; without it every pending organization is meant.
CHOICE_PARAM = "auswahl"
# The last reminder the confirmation page showed, to notice one sent in the meantime.
SEEN_PARAM = "zuletzt"


def _questionnaire_for_team(request: HttpRequest, slug: str) -> Questionnaire:
    """404 if the person may not see the questionnaire at all, 403 if they may see it but are
    not on the team."""
    questionnaire = selectors.questionnaire_get_for_user(user=request.user, slug=slug)
    if not permissions.can_manage_questionnaires(request.user):
        raise PermissionDenied
    return questionnaire


@login_required
@require_http_methods(["GET", "HEAD"])
def questionnaire_progress(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = _questionnaire_for_team(request, slug)
    filters = selectors_progress.ProgressFilters.from_query(request.GET)
    organizations = selectors_progress.progress_list(questionnaire=questionnaire, filters=filters)
    page = Paginator(organizations, selectors_progress.PAGE_SIZE).get_page(
        request.GET.get(PAGE_PARAM)
    )
    return render(
        request,
        "surveys/progress.html",
        {
            "questionnaire": questionnaire,
            "totals": selectors_progress.progress_totals(questionnaire=questionnaire),
            "filters": filters,
            "state_choices": ProgressState.choices,
            "page": page,
            "rows": selectors_progress.progress_rows(page.object_list),
            "query": pagination_query(request, PAGE_PARAM),
            "last_reminder": selectors_progress.progress_last_reminder(questionnaire=questionnaire),
            "recent_reminder": selectors_progress.reminder_is_recent(questionnaire=questionnaire),
            "states": ProgressState,
        },
    )


def _chosen_ids(data: QueryDict) -> list[int] | None:
    """The organizations chosen in the table, or None for all that have not submitted.

    A value that is not an id can't name an organization of the audience; it is passed on as
    0 so that it is refused like any other organization that may not be reminded.
    """
    if not data.get(CHOICE_PARAM):
        return None
    return [parse_id(value) or 0 for value in data.getlist(CHOSEN_PARAM)]


def _seen_last_reminder(questionnaire: Questionnaire) -> str:
    sent = questionnaire.last_reminder_at
    return sent.isoformat() if sent else ""


def _send(request: HttpRequest, questionnaire: Questionnaire) -> HttpResponse | None:
    """Send the confirmed reminder and go back to the overview; None to confirm again because
    someone else sent a reminder since the confirmation page was shown."""
    if request.POST.get(SEEN_PARAM, "") != _seen_last_reminder(questionnaire):
        messages.warning(
            request,
            _(
                "Inzwischen wurde eine Erinnerung verschickt. Bitte prüfen Sie, ob Sie "
                "trotzdem noch einmal erinnern möchten."
            ),
        )
        return None
    try:
        result = services_progress.questionnaire_remind(
            questionnaire=questionnaire,
            user=request.user,
            organization_ids=_chosen_ids(request.POST),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Die Erinnerung geht an %(count)s Person.",
                "Die Erinnerung geht an %(count)s Personen.",
                result.recipients,
            )
            % {"count": result.recipients},
        )
    return redirect("surveys:progress", slug=questionnaire.slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def questionnaire_remind(request: HttpRequest, slug: str) -> HttpResponse:
    """GET shows whom the reminder reaches and asks for confirmation; POST sends it."""
    questionnaire = _questionnaire_for_team(request, slug)
    if request.method == "POST":
        sent = _send(request, questionnaire)
        if sent is not None:
            return sent
    data = request.POST if request.method == "POST" else request.GET
    chosen = _chosen_ids(data)
    if chosen is not None and not chosen:
        messages.error(request, _("Bitte wählen Sie mindestens eine Organisation aus."))
        return redirect("surveys:progress", slug=questionnaire.slug)
    plan = selectors_progress.reminder_plan(questionnaire=questionnaire, organization_ids=chosen)
    if plan.refused_ids:
        messages.error(
            request,
            _(
                "Mindestens eine der gewählten Organisationen gehört nicht zur Zielgruppe oder "
                "hat bereits abgeschickt. Bitte wählen Sie erneut."
            ),
        )
        return redirect("surveys:progress", slug=questionnaire.slug)
    return render(
        request,
        "surveys/remind.html",
        {
            "questionnaire": questionnaire,
            "plan": plan,
            "chosen": chosen,
            "seen": _seen_last_reminder(questionnaire),
            "last_reminder": selectors_progress.progress_last_reminder(questionnaire=questionnaire),
            "recent_reminder": selectors_progress.reminder_is_recent(questionnaire=questionnaire),
        },
    )


EXPORT_FORMATS = {
    "csv": (exports.responses_csv, "text/csv; charset=utf-8"),
    "xlsx": (exports.responses_xlsx, exports.XLSX_CONTENT_TYPE),
}


@login_required
@require_http_methods(["GET", "HEAD"])
def questionnaire_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    questionnaire = _questionnaire_for_team(request, slug)
    build, content_type = EXPORT_FORMATS[fmt]
    content, rows = build(questionnaire=questionnaire)
    services_progress.questionnaire_exported(
        questionnaire=questionnaire, user=request.user, file_format=fmt, rows=rows
    )
    filename = f"{questionnaire.slug}-antworten-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
