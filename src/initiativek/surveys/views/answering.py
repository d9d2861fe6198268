"""Filling in an organization's response: drafts at any time, submission when complete, the
history of changes, and the team's preview of the form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from initiativek.core.views_utils import add_validation_error
from initiativek.organizations.models import Organization

from .. import permissions, selectors, services
from ..constants import ResponseStatus
from ..forms import ResponseForm
from ..models import Response


def _context(questionnaire, organization, response, form, *, stored: dict, can_edit: bool):
    questions = form.questions
    return {
        "questionnaire": questionnaire,
        "organization": organization,
        "response": response,
        "form": form,
        "can_edit": can_edit,
        "not_editable": not can_edit and organization is not None,
        "question_count": len(questions),
        "answered_count": sum(1 for q in questions if q.pk in stored),
        "min_group_size": settings.SURVEY_MIN_GROUP_SIZE,
    }


def _only_editors(organization) -> PermissionDenied:
    return PermissionDenied(
        _("Nur die Redaktion von %(organization)s kann diesen Antwortbogen ausfüllen.")
        % {"organization": organization.name}
    )


@login_required
def response_edit(request: HttpRequest, slug: str, org_slug: str) -> HttpResponse:
    """The response of one organization: editable by its editors while the questionnaire is
    open, read-only for its other people and the team."""
    questionnaire = selectors.questionnaire_get_for_user(user=request.user, slug=slug)
    organization = get_object_or_404(Organization, slug=org_slug)
    response = selectors.response_for(questionnaire=questionnaire, organization=organization)
    may_answer = permissions.can_answer(request.user, questionnaire, organization)
    may_view = response is not None and permissions.can_view_response(request.user, response)
    if not (may_answer or may_view):
        raise _only_editors(organization)
    structure = selectors.questionnaire_structure(questionnaire=questionnaire)
    values = selectors.response_values(response=response)
    if request.method == "POST":
        if not may_answer:
            raise _only_editors(organization)
        form = ResponseForm(request.POST, structure=structure, values=values, response=response)
        if questionnaire.is_open:
            return _save(request, questionnaire, organization, response, form)
        messages.error(
            request,
            _(
                "Dieser Fragebogen ist nicht mehr offen; Ihre Eingaben wurden nicht gespeichert. "
                "Sie stehen unten, damit Sie nichts verlieren."
            ),
        )
    elif may_answer and not questionnaire.is_open and response is None:
        messages.info(request, _("Dieser Fragebogen ist nicht (mehr) offen."))
        return redirect(questionnaire)
    else:
        form = ResponseForm(structure=structure, values=values, response=response)
    can_edit = may_answer and questionnaire.is_open
    return render(
        request,
        "surveys/answer.html",
        _context(questionnaire, organization, response, form, stored=values, can_edit=can_edit),
    )


def _error_code(exc: ValidationError) -> str | None:
    return getattr(exc, "code", None)


def _conflicting(exc: ValidationError) -> set[int]:
    """Question pks whose answers someone else changed meanwhile (see ``response_save``)."""
    if not hasattr(exc, "error_dict"):
        return set()
    return {
        int(name[1:])
        for name, errors in exc.error_dict.items()
        if any(error.code == "conflict" for error in errors)
    }


def _save(request, questionnaire, organization, response: Response | None, form) -> HttpResponse:
    """Only answers the person changed are written. Drafts keep every valid answer even when
    others have errors or conflict with a colleague's change; a submitted response only
    changes as a whole (it must stay complete)."""
    form.is_valid()
    submit = request.POST.get("action") == "submit"
    was_submitted = response is not None and response.status == ResponseStatus.SUBMITTED
    arguments = {
        "questionnaire": questionnaire,
        "organization": organization,
        "user": request.user,
        "values": form.changed_values(),
        "base": form.question_base(),
        **form.changed_consents(),
    }
    if submit and not form.errors and not was_submitted:
        try:
            services.response_save(**arguments, submit=True)
        except ValidationError as exc:
            add_validation_error(form, exc)
            if _error_code(exc) in ("closed", "unknown_question"):
                return _render_errors(request, questionnaire, organization, form)
        else:
            messages.success(
                request,
                _(
                    "Vielen Dank! Ihr Antwortbogen ist abgeschickt. Sie können ihn bis zum Ende "
                    "der Laufzeit noch ändern."
                ),
            )
            return redirect(questionnaire)
    if was_submitted and form.errors:
        return _render_errors(request, questionnaire, organization, form)
    if not _save_draft(form, arguments, submitted=was_submitted):
        return _render_errors(request, questionnaire, organization, form)
    if form.errors:
        messages.warning(
            request,
            _(
                "Ihr Entwurf ist gespeichert, aber noch nicht abgeschickt. Bitte prüfen Sie die "
                "markierten Fragen; Ihre Eingaben stehen noch im Formular."
            )
            if submit
            else _(
                "Ihr Entwurf ist gespeichert – bis auf die markierten Angaben. Bitte prüfen Sie "
                "sie; Ihre Eingaben stehen noch im Formular."
            ),
        )
        return _render_errors(request, questionnaire, organization, form)
    messages.success(request, _("Ihre Antworten sind gespeichert."))
    return redirect("surveys:answer", slug=questionnaire.slug, org_slug=organization.slug)


def _save_draft(form, arguments: dict, *, submitted: bool) -> bool:
    """Save; for drafts, answers that conflict with a colleague's change are left out and the
    rest is saved. False if nothing could be saved."""
    try:
        services.response_save(**arguments)
        return True
    except ValidationError as exc:
        add_validation_error(form, exc)
        conflicts = _conflicting(exc)
        if submitted or not conflicts or len(conflicts) != len(exc.error_dict):
            return False
    rest = {pk: value for pk, value in arguments["values"].items() if pk not in conflicts}
    try:
        services.response_save(**{**arguments, "values": rest})
    except ValidationError as exc:
        add_validation_error(form, exc)
        return False
    return True


def _render_errors(request, questionnaire, organization, form) -> HttpResponse:
    """The form again with its errors: what the person typed stays, everything else shows
    what is stored now (a colleague's changes included)."""
    questionnaire.refresh_from_db()
    response = selectors.response_for(questionnaire=questionnaire, organization=organization)
    stored = selectors.response_values(response=response)
    form.refresh(values=stored, response=response)
    return render(
        request,
        "surveys/answer.html",
        _context(
            questionnaire,
            organization,
            response,
            form,
            stored=stored,
            can_edit=questionnaire.is_open,
        ),
    )


@login_required
@require_POST
def response_reopen(request: HttpRequest, slug: str, org_slug: str) -> HttpResponse:
    questionnaire = selectors.questionnaire_get_for_user(user=request.user, slug=slug)
    response = selectors.response_get_for_user(
        user=request.user, questionnaire=questionnaire, org_slug=org_slug
    )
    try:
        services.response_reopen(response=response, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(
            request,
            _(
                "Ihr Antwortbogen ist wieder ein Entwurf und zählt erst wieder in den "
                "Ergebnissen, wenn Sie ihn erneut abschicken."
            ),
        )
    return redirect("surveys:answer", slug=slug, org_slug=org_slug)


@login_required
def response_history(request: HttpRequest, slug: str, org_slug: str) -> HttpResponse:
    questionnaire = selectors.questionnaire_get_for_user(user=request.user, slug=slug)
    response = selectors.response_get_for_user(
        user=request.user, questionnaire=questionnaire, org_slug=org_slug
    )
    return render(
        request,
        "surveys/history.html",
        {
            "questionnaire": questionnaire,
            "response": response,
            "organization": response.organization,
            "changes": selectors.response_changes(response=response),
        },
    )


@login_required
def questionnaire_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The form as organizations will see it – for the team, nothing can be saved."""
    if not permissions.can_manage_questionnaires(request.user):
        raise PermissionDenied
    questionnaire = selectors.questionnaire_get_for_user(user=request.user, slug=slug)
    structure = selectors.questionnaire_structure(questionnaire=questionnaire)
    form = ResponseForm(structure=structure, values={}, response=None)
    context = _context(questionnaire, None, None, form, stored={}, can_edit=False)
    context["preview"] = True
    return render(request, "surveys/answer.html", context)
