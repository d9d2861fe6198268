"""Host tools for participants: overview, list with check-in, exports and a message to all
confirmed participants. Hosts (editors of a hosting organization) and the team only."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from initiativek.core.views_utils import add_validation_error, parse_id

from .. import exports, permissions, selectors, selectors_participants, services_participants
from ..constants import AttendanceMode, RegistrationStatus
from ..models import Event

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _event_for_host(request: HttpRequest, slug: str) -> Event:
    """The event if the user may see its participants: 404 if the event is not visible to
    them at all, 403 if they may see it but are not a host."""
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    if not permissions.can_see_participants(request.user, event):
        raise PermissionDenied
    return event


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_for_host(request, slug)
    return render(
        request,
        "events/host/dashboard.html",
        {
            "event": event,
            "counts": selectors_participants.event_participant_counts(event=event),
            "seats": selectors.event_seats(event=event),
        },
    )


def _check_in(request: HttpRequest, event: Event) -> HttpResponse:
    pk = parse_id(request.POST.get("registration"))
    if pk is None:
        raise Http404
    registration = get_object_or_404(event.registrations, pk=pk)
    attended = request.POST.get("attended") == "1"
    try:
        services_participants.registration_set_attended(
            registration=registration, actor=request.user, attended=attended
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = (
            _("%(name)s ist als anwesend markiert.")
            if attended
            else _("%(name)s ist als nicht anwesend markiert.")
        )
        messages.success(request, text % {"name": registration.name})
    # Back to the same filtered list; only known filter values survive the round trip.
    filters = selectors_participants.ParticipantFilters.from_query(
        QueryDict(request.POST.get("query", ""))
    )
    query = urlencode({key: value for key, value in vars(filters).items() if value})
    url = reverse("events:participants", kwargs={"slug": event.slug})
    return redirect(f"{url}{'?' + query if query else ''}#anmeldung-{registration.pk}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participants(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_for_host(request, slug)
    if request.method == "POST":
        return _check_in(request, event)
    filters = selectors_participants.ParticipantFilters.from_query(request.GET)
    registrations = list(
        selectors_participants.registration_list_for_host(event=event, filters=filters)
    )
    for registration in registrations:
        registration.waitlist_rank = selectors_participants.registration_waitlist_rank(registration)
    return render(
        request,
        "events/host/participants.html",
        {
            "event": event,
            "registrations": registrations,
            "filters": filters,
            "status_choices": RegistrationStatus.choices,
            "mode_choices": [c for c in AttendanceMode.choices if c[0] in event.modes],
            "query": request.GET.urlencode(),
            "confirmed": RegistrationStatus.CONFIRMED,
        },
    )


def _export_rows(request: HttpRequest, slug: str, file_format: str) -> tuple[Event, list]:
    event = _event_for_host(request, slug)
    rows = exports.participant_rows(selectors_participants.registration_list_for_host(event=event))
    services_participants.event_participants_exported(
        event=event, actor=request.user, file_format=file_format, rows=len(rows)
    )
    return event, rows


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    event, rows = _export_rows(request, slug, "csv")
    return _download(
        exports.participants_csv(rows),
        "text/csv; charset=utf-8",
        f"teilnehmende-{event.slug}.csv",
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    event, rows = _export_rows(request, slug, "xlsx")
    return _download(
        exports.participants_xlsx(rows, title=_("Teilnehmende")),
        XLSX_TYPE,
        f"teilnehmende-{event.slug}.xlsx",
    )


class MessageForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Betreff"),
        max_length=services_participants.MESSAGE_SUBJECT_MAX,
        error_messages={"required": gettext_lazy("Bitte geben Sie einen Betreff ein.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Nachricht"),
        max_length=services_participants.MESSAGE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Jede Person erhält die Nachricht einzeln mit persönlicher Anrede. "
            "Antworten gehen an Ihre E-Mail-Adresse."
        ),
        error_messages={"required": gettext_lazy("Bitte geben Sie einen Text ein.")},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def message(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_for_host(request, slug)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services_participants.event_message_send(
                event=event, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Die Nachricht geht an %(count)s bestätigte Person.",
                    "Die Nachricht geht an %(count)s bestätigte Personen.",
                    count,
                )
                % {"count": count},
            )
            return redirect("events:host", slug=event.slug)
    recipients = selectors_participants.registration_count_confirmed(event=event)
    return render(
        request,
        "events/host/message.html",
        {"event": event, "form": form, "recipients": recipients},
    )
