"""Host tools, editing half: create and edit events, cancel, program, materials, outcomes.

Every view: sign-in required; events the user may not see are 404 (the selector), events the
user may see but not host are 403 (``permissions.can_host``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from initiativek.core.views_utils import add_validation_error, parse_id
from initiativek.organizations import selectors as organization_selectors
from initiativek.projects.attachments import attachment_response

from .. import permissions, selectors, services_host
from ..forms_host import (
    CancelForm,
    EventForm,
    MaterialForm,
    ProgramItemForm,
    ReportForm,
    SpeakerForm,
    StatementForm,
)
from ..models import Event, ProgramMaterial

GET_POST = require_http_methods(["GET", "POST"])


def _hosted_event(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    if not permissions.can_host(request.user, event):
        raise PermissionDenied
    return event


@login_required
@GET_POST
def event_create(request: HttpRequest) -> HttpResponse:
    organizations = organization_selectors.organization_list_editable_by(user=request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = EventForm(request.POST or None, hosts_for=organizations, prefix="e")
    if request.method == "POST" and form.is_valid():
        data, relations = form.split()
        try:
            event = services_host.event_create(
                actor=request.user, host=form.cleaned_data["host"], data=data, relations=relations
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Die Veranstaltung wurde als Entwurf angelegt. Fügen Sie nun das Programm "
                    "hinzu."
                ),
            )
            return redirect("events:program", slug=event.slug)
    return render(request, "events/host/event_form.html", {"form": form, "event": None})


@login_required
@GET_POST
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event = _hosted_event(request, slug)
    # A separate copy for the form, so a refused edit does not show up in the page around it.
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=event.pk), prefix="e")
    if request.method == "POST" and form.is_valid():
        data, relations = form.split()
        try:
            event = services_host.event_edit(
                event=event,
                actor=request.user,
                data=data,
                relations=relations,
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Die Veranstaltung wurde gespeichert."))
            if not permissions.can_host(request.user, event):
                return redirect(event)
            return redirect("events:edit", slug=event.slug)
    return render(request, "events/host/event_form.html", {"form": form, "event": event})


@login_required
@GET_POST
def event_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    event = _hosted_event(request, slug)
    form = CancelForm(request.POST or None, prefix="c")
    if request.method == "POST" and form.is_valid():
        services_host.event_cancel(
            event=event, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, _("Die Veranstaltung wurde abgesagt; alle Angemeldeten werden informiert.")
        )
        return redirect(event)
    return render(request, "events/host/cancel.html", {"form": form, "event": event})


def _program_items(event: Event):
    return event.program.prefetch_related("people__speaker__organization", "materials")


@login_required
@GET_POST
def program(request: HttpRequest, slug: str) -> HttpResponse:
    event = _hosted_event(request, slug)
    move_pk = parse_id(request.POST.get("move"))
    if request.method == "POST" and move_pk is not None:
        item = get_object_or_404(event.program, pk=move_pk)
        services_host.program_item_move(
            item=item, actor=request.user, up=request.POST.get("direction") == "up"
        )
        return redirect("events:program", slug=slug)
    form = ProgramItemForm(request.POST or None, event=event, user=request.user, prefix="p")
    if request.method == "POST" and form.is_valid():
        try:
            services_host.program_item_create(
                event=event, actor=request.user, **form.service_arguments()
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Der Programmpunkt wurde hinzugefügt."))
            return redirect("events:program", slug=slug)
    return render(
        request,
        "events/host/program.html",
        {"event": event, "items": _program_items(event), "form": form},
    )


@login_required
@GET_POST
def program_item(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _hosted_event(request, slug)
    item = get_object_or_404(event.program, pk=pk)
    if request.method == "POST":
        response = _program_item_action(request, event, item)
        if response is not None:
            return response
    if request.GET.get("loeschen"):
        context = {"event": event, "item": item, "confirm_delete": True}
        return render(request, "events/host/program_item.html", context)
    posted = request.method == "POST" and "save" in request.POST
    form = ProgramItemForm(
        request.POST if posted else None, instance=item, event=event, user=request.user, prefix="p"
    )
    material_form = MaterialForm(prefix="m")
    if posted and form.is_valid():
        try:
            services_host.program_item_update(
                item=item, actor=request.user, **form.service_arguments()
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Der Programmpunkt wurde gespeichert."))
            return redirect("events:program", slug=slug)
    if request.method == "POST" and "upload" in request.POST:
        material_form = MaterialForm(request.POST, request.FILES, prefix="m")
        if material_form.is_valid():
            try:
                services_host.material_add(
                    item=item,
                    actor=request.user,
                    uploaded_file=material_form.cleaned_data["file"],
                    title=material_form.cleaned_data["title"],
                )
            except ValidationError as exc:
                material_form.add_error("file", exc)
            else:
                messages.success(request, _("Das Material wurde hochgeladen."))
                return redirect("events:program-item", slug=slug, pk=item.pk)
    context = {
        "event": event,
        "item": item,
        "form": form,
        "material_form": material_form,
        "materials": item.materials.all(),
    }
    return render(request, "events/host/program_item.html", context)


def _program_item_action(request: HttpRequest, event: Event, item) -> HttpResponse | None:
    """Deleting the item or one of its materials; None for the forms handled by the caller."""
    if request.POST.get("delete_item"):
        services_host.program_item_delete(item=item, actor=request.user)
        messages.success(request, _("Der Programmpunkt wurde gelöscht."))
        return redirect("events:program", slug=event.slug)
    material_pk = parse_id(request.POST.get("delete_material"))
    if material_pk is not None:
        material = get_object_or_404(item.materials, pk=material_pk)
        services_host.material_delete(material=material, actor=request.user)
        messages.success(request, _("Das Material wurde gelöscht."))
        return redirect("events:program-item", slug=event.slug, pk=item.pk)
    return None


def material_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Anyone who may see the event downloads its talk materials."""
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    material = get_object_or_404(
        ProgramMaterial.objects.select_related("item__event"), pk=pk, item__event=event
    )
    return attachment_response(material)


@login_required
@GET_POST
def outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    event = _hosted_event(request, slug)
    statement_form = StatementForm(prefix="s")
    report_form = ReportForm(
        prefix="r",
        initial={"report": event.report, "published": event.report_published_at is not None},
    )
    statement_pk = parse_id(request.POST.get("delete_statement"))
    if request.method == "POST" and statement_pk is not None:
        statement = get_object_or_404(event.closing_statements, pk=statement_pk)
        services_host.statement_delete(statement=statement, actor=request.user)
        messages.success(request, _("Das Statement wurde gelöscht."))
        return redirect("events:outcomes", slug=slug)
    if request.method == "POST" and "statement" in request.POST:
        statement_form = StatementForm(request.POST, prefix="s")
        if statement_form.is_valid() and _saved(
            statement_form,
            services_host.statement_add,
            event=event,
            actor=request.user,
            **statement_form.cleaned_data,
        ):
            messages.success(request, _("Das Statement wurde gespeichert."))
            return redirect("events:outcomes", slug=slug)
    if request.method == "POST" and "report" in request.POST:
        report_form = ReportForm(request.POST, prefix="r")
        if report_form.is_valid() and _saved(
            report_form,
            services_host.event_report_save,
            event=event,
            actor=request.user,
            **report_form.cleaned_data,
        ):
            messages.success(request, _("Der Bericht wurde gespeichert."))
            return redirect("events:outcomes", slug=slug)
    context = {
        "event": event,
        # proposals: the template links each statement's proposal (``.first``: the prefetch)
        "statements": event.closing_statements.select_related("organization").prefetch_related(
            "proposals"
        ),
        "statement_form": statement_form,
        "report_form": report_form,
    }
    return render(request, "events/host/outcomes.html", context)


def _saved(form, service, **kwargs) -> bool:
    """Call ``service``; a ValidationError goes onto ``form`` and gives False."""
    try:
        service(**kwargs)
    except ValidationError as exc:
        add_validation_error(form, exc)
        return False
    return True


@login_required
@GET_POST
def speakers(request: HttpRequest, slug: str) -> HttpResponse:
    """The people on this event's program, each with a form to correct their details."""
    event = _hosted_event(request, slug)
    people = selectors.event_speakers(
        program=selectors.event_program(event=event, user=request.user)
    )
    forms_by_pk = {
        speaker.pk: SpeakerForm(instance=speaker, prefix=f"s{speaker.pk}") for speaker in people
    }
    posted = parse_id(request.POST.get("speaker"))
    if request.method == "POST" and posted in forms_by_pk:
        speaker = next(person for person in people if person.pk == posted)
        form = SpeakerForm(request.POST, instance=speaker, prefix=f"s{speaker.pk}")
        forms_by_pk[speaker.pk] = form
        if form.is_valid() and _saved(
            form,
            services_host.speaker_update,
            event=event,
            speaker=speaker,
            actor=request.user,
            **{name: form.cleaned_data[name] for name in SpeakerForm.Meta.fields},
        ):
            messages.success(request, _("Die Angaben wurden gespeichert."))
            return redirect("events:speakers", slug=slug)
    elif request.method == "POST":
        raise PermissionDenied
    _share_organization_choices(forms_by_pk.values())
    return render(
        request,
        "events/host/speakers.html",
        {"event": event, "active": "speakers", "speaker_forms": list(forms_by_pk.items())},
    )


def _share_organization_choices(forms) -> None:
    """Every speaker's form offers the same member organizations: read them once, not once
    per form (validation still checks against the field's queryset)."""
    forms = list(forms)
    if forms:
        choices = list(forms[0].fields["organization"].choices)
        for form in forms:
            form.fields["organization"].choices = choices
