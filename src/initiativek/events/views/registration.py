from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from initiativek.core.services import rate_limit_exceeded
from initiativek.core.views_utils import add_validation_error
from initiativek.organizations import selectors as organization_selectors

from .. import permissions, selectors, services, services_calendar
from ..constants import RegistrationStatus
from ..forms import ModeSwitchForm, RegistrationForm
from ..models import Registration


def registration_context(request, event, form=None) -> dict:
    """What the registration box on the event page needs."""
    user = request.user
    existing = selectors.registration_for_user(event=event, user=user)
    member = user if user.is_authenticated else None
    return {
        "registration": existing,
        "registration_form": form or RegistrationForm(event=event, member=member, prefix="r"),
        "seats": selectors.event_seats(event=event),
        "registration_open": selectors.event_registration_open(event=event),
        "event_past": selectors.event_is_past(event=event),
    }


@require_POST
def register(request, slug):
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    user = request.user if request.user.is_authenticated else None
    form = RegistrationForm(request.POST, event=event, member=user, prefix="r")
    if user is None and rate_limit_exceeded(
        key=f"event-registration:{request.META.get('REMOTE_ADDR', '')}",
        limit=settings.EVENT_GUEST_REGISTRATIONS_PER_HOUR,
        period_seconds=3600,
    ):
        form.add_error(
            None, _("Zu viele Anmeldungen von diesem Anschluss. Bitte später erneut versuchen.")
        )
    elif form.is_valid():
        data = form.cleaned_data
        memberships = organization_selectors.membership_list_for_user(user=user) if user else []
        first = memberships[0].organization if memberships else None
        try:
            registration = services.registration_create(
                event=event,
                name=user.name if user else data["name"],
                email=user.email if user else data["email"],
                organization=first,
                organization_name="" if user else data["organization_name"],
                mode=data["mode"],
                user=user,
                listed=data["listed"],
                access_needs=data.get("access_needs", ""),
                language=get_language() or "de",
                email_verified=user is not None,
            )
        except ValidationError as exc:
            if user is None and _is_duplicate(exc):
                # Don't reveal to a guest whether somebody is registered: the address gets
                # its link by mail, the page says the same as for a new registration.
                services.registration_send_link(event=event, email=data["email"])
                messages.success(request, _status_message_for_guest())
                return redirect(event)
            add_validation_error(form, exc)
        else:
            if user is None:
                messages.success(request, _status_message_for_guest())
                return redirect(event)
            messages.success(request, _status_message(registration))
            return redirect("events:registration", token=registration.token)
    from .detail import event_detail_context

    return render(
        request,
        "events/detail.html",
        {**event_detail_context(request, event), **registration_context(request, event, form)},
        status=200,
    )


def _is_duplicate(exc: ValidationError) -> bool:
    errors = exc.error_dict.get("email", []) if hasattr(exc, "error_dict") else []
    return any(error.code == "duplicate" for error in errors)


def _status_message_for_guest() -> str:
    return _(
        "Fast geschafft: Bitte bestätigen Sie Ihre Anmeldung über den Link in der E-Mail, "
        "die wir Ihnen gerade geschickt haben."
    )


def _status_message(registration) -> str:
    return {
        RegistrationStatus.PENDING: _(
            "Fast geschafft: Bitte bestätigen Sie Ihre Anmeldung über den Link in der E-Mail, "
            "die wir Ihnen gerade geschickt haben."
        ),
        RegistrationStatus.CONFIRMED: _("Sie sind angemeldet. Die Bestätigung kommt per E-Mail."),
        RegistrationStatus.WAITLISTED: _(
            "Die Veranstaltung ist ausgebucht. Sie stehen auf der Warteliste und bekommen eine "
            "E-Mail, sobald ein Platz frei wird."
        ),
    }.get(registration.status, _("Ihre Anmeldung wurde gespeichert."))


def manage(request, token):
    """The person's own registration, reached by the secret link in their e-mails."""
    registration = get_object_or_404(Registration.objects.select_related("event"), token=token)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                services.registration_cancel(token=token)
                messages.success(request, _("Ihre Anmeldung ist storniert."))
            elif action == "accept":
                services.registration_accept_offer(token=token)
                messages.success(request, _("Der Platz gehört Ihnen. Bis bald!"))
            elif action == "mode":
                form = ModeSwitchForm(request.POST)
                if form.is_valid():
                    services.registration_switch_mode(token=token, mode=form.cleaned_data["mode"])
                    messages.success(request, _("Ihre Teilnahmeart wurde geändert."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("events:registration", token=token)
    registration.refresh_from_db()
    return render(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "seats": selectors.event_seats(event=registration.event),
            "position": selectors.registration_waitlist_position(registration=registration),
            "online_link": permissions.gets_online_link(registration),
        },
    )


def confirm(request, token):
    """Double opt-in: the link in the e-mail shows a button (so link scanners that open
    every link don't confirm on their own)."""
    registration = get_object_or_404(Registration.objects.select_related("event"), token=token)
    if request.method == "POST":
        try:
            services.registration_confirm_email(token=token)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return render(request, "events/confirm.html", {"registration": registration})
        registration.refresh_from_db()
        messages.success(request, _status_message(registration))
        return redirect("events:registration", token=token)
    return render(request, "events/confirm.html", {"registration": registration})


@login_required
def my_calendar(request):
    """The address of the person's own calendar feed; POST gives it a new address."""
    if request.method == "POST":
        services_calendar.calendar_feed_renew(user=request.user)
        messages.success(
            request, _("Die Adresse wurde erneuert. Die alte Adresse funktioniert nicht mehr.")
        )
        return redirect("events:my-calendar")
    feed = services_calendar.calendar_feed_get_or_create(user=request.user)
    url = settings.SITE_URL + reverse("events:personal-feed", kwargs={"token": feed.token})
    return render(
        request,
        "events/my_calendar.html",
        {"feed_url": url, "registrations": selectors.registration_list_for_user(user=request.user)},
    )
