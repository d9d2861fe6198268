"""The team's questionnaire builder: metadata, sections, questions, lifecycle.

Every view: sign-in required (``login_required``), then the initiative team only – other
people get 403. Sections and questions are looked up within the questionnaire of the URL, so a
forged pk is a 404. The rules live in ``services_builder``; its ValidationErrors are shown on
the forms (or as a message) with everything typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from initiativek.core.views_utils import add_validation_error, parse_id

from .. import permissions, selectors, services_builder
from ..constants import Phase, QuestionnaireStatus
from ..forms_builder import (
    CopyForm,
    MoveForm,
    QuestionForm,
    QuestionnaireForm,
    RetireForm,
    SectionForm,
)
from ..models import Question, Questionnaire, Section

GET_POST = require_http_methods(["GET", "POST"])


def _require_team(request: HttpRequest) -> None:
    if not permissions.can_manage_questionnaires(request.user):
        raise PermissionDenied


def _questionnaire(request: HttpRequest, slug: str) -> Questionnaire:
    _require_team(request)
    return get_object_or_404(Questionnaire, slug=slug)


def _section(questionnaire: Questionnaire, pk: int) -> Section:
    return get_object_or_404(questionnaire.sections, pk=pk)


def _question(questionnaire: Questionnaire, pk: int) -> Question:
    return get_object_or_404(questionnaire.questions.select_related("section"), pk=pk)


def _overview_url(questionnaire: Questionnaire, anchor: str = "") -> str:
    url = reverse("surveys:edit", kwargs={"slug": questionnaire.slug})
    return f"{url}#{anchor}" if anchor else url


def _saved(form, service, **kwargs):
    """Call ``service``; a ValidationError goes onto ``form`` and gives None."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_validation_error(form, exc)
        return None


def _done(request: HttpRequest, service, success: str, **kwargs) -> bool:
    """Call ``service``; its ValidationError becomes an error message. True if it worked."""
    try:
        service(actor=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _can_delete(questionnaire: Questionnaire) -> bool:
    published = questionnaire.status == QuestionnaireStatus.PUBLISHED
    return (questionnaire.is_template or not published) and not questionnaire.responses.exists()


def _base_context(questionnaire: Questionnaire) -> dict:
    phase = questionnaire.phase()
    return {
        "questionnaire": questionnaire,
        "can_publish": phase == Phase.DRAFT,
        "can_close": phase in (Phase.OPEN, Phase.SCHEDULED),
        "can_delete": _can_delete(questionnaire),
    }


# Questionnaires


@login_required
@GET_POST
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    _require_team(request)
    form = QuestionnaireForm(request.POST or None, prefix="f")
    if request.method == "POST" and form.is_valid():
        questionnaire = _saved(
            form,
            services_builder.questionnaire_create,
            actor=request.user,
            data=form.data_for_service(),
        )
        if questionnaire is not None:
            messages.success(
                request,
                _(
                    "Der Fragebogen wurde als Entwurf angelegt. Fügen Sie nun Abschnitte und "
                    "Fragen hinzu."
                ),
            )
            return redirect(_overview_url(questionnaire))
    return render(request, "surveys/builder/questionnaire_form.html", {"form": form})


@login_required
@GET_POST
def questionnaire_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The builder's overview: sections with their questions and actions, then the form for
    title, introduction, dates, audience and event."""
    questionnaire = _questionnaire(request, slug)
    # A separate copy for the form, so a refused edit does not show up in the page around it.
    form = QuestionnaireForm(
        request.POST or None, instance=Questionnaire.objects.get(pk=questionnaire.pk), prefix="f"
    )
    if request.method == "POST" and form.is_valid():
        saved = _saved(
            form,
            services_builder.questionnaire_update,
            actor=request.user,
            questionnaire=questionnaire,
            data=form.data_for_service(),
        )
        if saved is not None:
            messages.success(request, _("Die Angaben wurden gespeichert."))
            return redirect(_overview_url(saved))
    has_answers = selectors.questionnaire_has_answers(questionnaire=questionnaire)
    respondents = (
        services_builder.respondent_count(questionnaire=questionnaire) if has_answers else 0
    )
    counts = services_builder.question_answer_counts(questionnaire=questionnaire)
    structure = [
        (section, [(question, counts.get(question.pk, 0)) for question in questions])
        for section, questions in selectors.questionnaire_structure(
            questionnaire=questionnaire, include_retired=True
        )
    ]
    context = {
        **_base_context(questionnaire),
        "form": form,
        "structure": structure,
        "has_answers": has_answers,
        "respondents": respondents,
        "delete_refusal": (
            services_builder.question_delete_refusal(respondents=respondents) if has_answers else ""
        ),
    }
    return render(request, "surveys/builder/edit.html", context)


@login_required
@GET_POST
def questionnaire_publish(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = _questionnaire(request, slug)
    success = _(
        "Der Fragebogen ist veröffentlicht. Administration und Redaktion der angesprochenen "
        "Organisationen wurden benachrichtigt."
    )
    if request.method == "POST" and _done(
        request, services_builder.questionnaire_publish, success, questionnaire=questionnaire
    ):
        return redirect(_overview_url(questionnaire))
    problems = services_builder.questionnaire_publish_problems(questionnaire=questionnaire)
    context = {**_base_context(questionnaire), "problems": problems}
    return render(request, "surveys/builder/publish.html", context)


@login_required
@GET_POST
def questionnaire_close(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = _questionnaire(request, slug)
    if request.method == "POST":
        success = _("Der Fragebogen ist geschlossen; die Antworten bleiben erhalten.")
        _done(request, services_builder.questionnaire_close, success, questionnaire=questionnaire)
        return redirect(_overview_url(questionnaire))
    return render(request, "surveys/builder/close.html", _base_context(questionnaire))


@login_required
@GET_POST
def questionnaire_copy(request: HttpRequest, slug: str) -> HttpResponse:
    """Copy a questionnaire or template into a new draft (e.g. event feedback)."""
    questionnaire = _questionnaire(request, slug)
    form = CopyForm(request.POST or None, prefix="k", initial={"event": questionnaire.event_id})
    if request.method == "POST" and form.is_valid():
        copy = _saved(
            form,
            services_builder.questionnaire_copy,
            actor=request.user,
            questionnaire=questionnaire,
            title=form.cleaned_data["title"],
            event=form.cleaned_data["event"],
        )
        if copy is not None:
            messages.success(request, _("Die Kopie wurde als Entwurf angelegt."))
            return redirect(_overview_url(copy))
    context = {**_base_context(questionnaire), "form": form}
    return render(request, "surveys/builder/copy.html", context)


@login_required
@GET_POST
def questionnaire_delete(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = _questionnaire(request, slug)
    if request.method == "POST":
        if _done(
            request,
            services_builder.questionnaire_delete,
            _("Der Fragebogen wurde gelöscht."),
            questionnaire=questionnaire,
        ):
            return redirect("surveys:list")
        return redirect(_overview_url(questionnaire))
    return render(request, "surveys/builder/delete.html", _base_context(questionnaire))


# Sections


@login_required
@GET_POST
def section_create(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = _questionnaire(request, slug)
    form = SectionForm(request.POST or None, prefix="s")
    if request.method == "POST" and form.is_valid():
        section = _saved(
            form,
            services_builder.section_create,
            actor=request.user,
            questionnaire=questionnaire,
            data=form.data_for_service(),
        )
        if section is not None:
            messages.success(request, _("Der Abschnitt wurde angelegt."))
            return redirect(_overview_url(questionnaire, f"abschnitt-{section.pk}"))
    context = {**_base_context(questionnaire), "form": form, "section": None}
    return render(request, "surveys/builder/section_form.html", context)


@login_required
@GET_POST
def section_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Edit a section; a POST with ``direction`` (up/down) moves it instead."""
    questionnaire = _questionnaire(request, slug)
    section = _section(questionnaire, pk)
    if request.method == "POST" and "direction" in request.POST:
        move = MoveForm(request.POST)
        if not move.is_valid():
            raise Http404
        services_builder.section_move(
            actor=request.user, section=section, direction=move.cleaned_data["direction"]
        )
        return redirect(_overview_url(questionnaire, f"abschnitt-{section.pk}"))
    form = SectionForm(
        request.POST or None, instance=Section.objects.get(pk=section.pk), prefix="s"
    )
    if request.method == "POST" and form.is_valid():
        saved = _saved(
            form,
            services_builder.section_update,
            actor=request.user,
            section=section,
            data=form.data_for_service(),
        )
        if saved is not None:
            messages.success(request, _("Der Abschnitt wurde gespeichert."))
            return redirect(_overview_url(questionnaire, f"abschnitt-{section.pk}"))
    context = {**_base_context(questionnaire), "form": form, "section": section}
    return render(request, "surveys/builder/section_form.html", context)


@login_required
@GET_POST
def section_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, slug)
    section = _section(questionnaire, pk)
    if request.method == "POST":
        success = _("Der Abschnitt wurde gelöscht.")
        _done(request, services_builder.section_delete, success, section=section)
        return redirect(_overview_url(questionnaire))
    question_count = section.questions.count()
    refusal = ""
    if question_count and selectors.questionnaire_has_answers(questionnaire=questionnaire):
        refusal = services_builder.section_delete_refusal(
            respondents=services_builder.respondent_count(questionnaire=questionnaire)
        )
    context = {
        **_base_context(questionnaire),
        "section": section,
        "question_count": question_count,
        "refusal": refusal,
    }
    return render(request, "surveys/builder/section_delete.html", context)


# Questions


def _question_form_page(request, questionnaire, form, question) -> HttpResponse:
    context = {**_base_context(questionnaire), "form": form, "question": question}
    return render(request, "surveys/builder/question_form.html", context)


@login_required
@GET_POST
def question_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new question, in the section of ``?abschnitt=<pk>`` (or the first one)."""
    questionnaire = _questionnaire(request, slug)
    wanted = request.GET.get("abschnitt", "")
    section_pk = parse_id(wanted)
    if wanted and section_pk is None:
        raise Http404
    section = _section(questionnaire, section_pk) if wanted else questionnaire.sections.first()
    if section is None:
        messages.info(request, _("Legen Sie zuerst einen Abschnitt an."))
        return redirect("surveys:section-create", slug=questionnaire.slug)
    form = QuestionForm(
        request.POST or None, questionnaire=questionnaire, initial={"section": section}, prefix="q"
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = services_builder.question_create(
                actor=request.user,
                questionnaire=questionnaire,
                data=form.data_for_service(),
                choices=form.choice_specs(),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Die Frage wurde hinzugefügt."))
            return redirect(_overview_url(questionnaire, f"frage-{question.pk}"))
    return _question_form_page(request, questionnaire, form, None)


@login_required
@GET_POST
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    questionnaire = _questionnaire(request, slug)
    question = _question(questionnaire, pk)
    form = QuestionForm(
        request.POST or None,
        instance=Question.objects.get(pk=question.pk),
        questionnaire=questionnaire,
        has_answers=selectors.questionnaire_has_answers(questionnaire=questionnaire),
        prefix="q",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_builder.question_update(
                actor=request.user,
                question=question,
                data=form.data_for_service(),
                choices=form.choice_specs(),
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Die Frage wurde gespeichert."))
            return redirect(_overview_url(questionnaire, f"frage-{question.pk}"))
    return _question_form_page(request, questionnaire, form, question)


@login_required
@GET_POST
def question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Confirm and delete – or, once there are answers, explain why not and offer closing."""
    questionnaire = _questionnaire(request, slug)
    question = _question(questionnaire, pk)
    if request.method == "POST":
        success = _("Die Frage wurde gelöscht.")
        if _done(request, services_builder.question_delete, success, question=question):
            return redirect(_overview_url(questionnaire, f"abschnitt-{question.section_id}"))
        return redirect("surveys:question-delete", slug=questionnaire.slug, pk=question.pk)
    refusal = ""
    if selectors.questionnaire_has_answers(questionnaire=questionnaire):
        refusal = services_builder.question_delete_refusal(
            respondents=services_builder.respondent_count(questionnaire=questionnaire)
        )
    context = {**_base_context(questionnaire), "question": question, "refusal": refusal}
    return render(request, "surveys/builder/question_delete.html", context)


@login_required
@require_POST
def question_retire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Close (``retired=1``) or reopen (``retired=0``) a question."""
    questionnaire = _questionnaire(request, slug)
    question = _question(questionnaire, pk)
    form = RetireForm(request.POST)
    if not form.is_valid():
        raise Http404
    retired = form.cleaned_data["retired"]
    services_builder.question_retire(actor=request.user, question=question, retired=retired)
    if retired:
        messages.success(
            request,
            _("Die Frage ist geschlossen: Sie wird nicht mehr gefragt, ihre Antworten bleiben."),
        )
    else:
        messages.success(request, _("Die Frage wird wieder gefragt."))
    return redirect(_overview_url(questionnaire, f"frage-{question.pk}"))


@login_required
@require_POST
def question_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One place up or down (``direction``); anything else is a 404."""
    questionnaire = _questionnaire(request, slug)
    question = _question(questionnaire, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    services_builder.question_move(
        actor=request.user, question=question, direction=form.cleaned_data["direction"]
    )
    return redirect(_overview_url(questionnaire, f"frage-{question.pk}"))
