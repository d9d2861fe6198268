from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from initiativek.core.notifications import (
    is_local_path,
    notification_email_kinds_for_user,
    notification_list_for_user,
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_save,
)
from initiativek.core.views_utils import add_validation_error, pagination_query, parse_id
from initiativek.organizations import selectors as organization_selectors
from initiativek.projects import selectors as project_selectors
from initiativek.surveys import selectors as survey_selectors

from . import services
from .forms import ApiTokenForm, NotificationSettingsForm, ProfileForm

NOTIFICATIONS_PER_PAGE = 50


@login_required
def dashboard(request):
    user = request.user
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": organization_selectors.membership_list_for_user(user=user),
            "applications": organization_selectors.application_list_for_user(user=user),
            "invitations": organization_selectors.invitation_list_open_for_user(user=user),
            "pending_review_count": organization_selectors.application_pending_count(user=user),
            "projects": project_selectors.project_list_for_user_organizations(user=user),
            "questionnaires": survey_selectors.open_questionnaires_for_user(user=user),
            "can_import_projects": organization_selectors.organization_list_editable_by(
                user=user
            ).exists(),
        },
    )


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(
            user=request.user,
            actor=request.user,
            name=form.cleaned_data["name"],
            function=form.cleaned_data["function"],
            phone=form.cleaned_data["phone"],
        )
        messages.success(request, _("Ihr Profil wurde gespeichert."))
        return redirect("accounts:profile")
    return _render_profile(request, form=form)


def _render_profile(request, *, form=None, token_form=None, new_token: str = "", status=200):
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form or ProfileForm(instance=request.user),
            "token_form": token_form or ApiTokenForm(prefix="token"),
            "api_tokens": services.api_token_list_for_user(user=request.user),
            "new_token": new_token,
        },
        status=status,
    )


@never_cache  # the new token is shown once: keep it out of caches and the back button
@login_required
@require_POST
def api_token_create(request):
    """Create an API token and show its secret once, in this very answer (it isn't stored,
    so it can't be shown after a redirect)."""
    token_form = ApiTokenForm(request.POST, prefix="token")
    if token_form.is_valid():
        try:
            _token, raw = services.api_token_create(
                user=request.user, name=token_form.cleaned_data["name"]
            )
        except ValidationError as exc:
            add_validation_error(token_form, exc)
        else:
            return _render_profile(request, new_token=raw)
    return _render_profile(request, token_form=token_form, status=400)


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token_id = parse_id(str(pk))
    if token_id is None:
        raise Http404(_("Diesen API-Schlüssel gibt es nicht."))
    token = services.api_token_revoke(user=request.user, token_id=token_id)
    messages.success(
        request, _("Der API-Schlüssel „%(name)s“ wurde widerrufen.") % {"name": token.name}
    )
    return redirect("accounts:profile")


@login_required
def notifications(request):
    """The person's notifications, newest first, 50 a page; ``?ungelesen=1`` shows only unread
    ones. POST marks all read."""
    if request.method == "POST":
        count = notification_mark_all_read(user=request.user)
        if count:
            messages.success(request, _("Alle Benachrichtigungen sind als gelesen markiert."))
        return redirect("accounts:notifications")
    unread_only = request.GET.get("ungelesen") == "1"
    page = Paginator(
        notification_list_for_user(user=request.user, unread_only=unread_only),
        NOTIFICATIONS_PER_PAGE,
    ).get_page(request.GET.get("seite"))
    return render(
        request,
        "accounts/notifications.html",
        {
            "notifications": page.object_list,
            "page": page,
            "query": pagination_query(request, "seite"),
            "unread_only": unread_only,
        },
    )


@login_required
def notification_open(request, pk: int):
    """Mark one of the person's notifications read and go to what it is about – only to a path
    on this platform, otherwise back to the list. Other people's notifications are 404."""
    notification_id = parse_id(str(pk))  # <int:pk> also matches numbers too big for the database
    notification = (
        notification_mark_read(user=request.user, notification_id=notification_id)
        if notification_id is not None
        else None
    )
    if notification is None:
        raise Http404(_("Diese Benachrichtigung gibt es nicht."))
    if notification.url and is_local_path(notification.url):
        return redirect(notification.url)
    return redirect("accounts:notifications")


@login_required
def notification_settings(request):
    """Per kind of notification: also by e-mail or not."""
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"email_kinds": sorted(notification_email_kinds_for_user(user=request.user))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_save(
                user=request.user, email_kinds=set(form.cleaned_data["email_kinds"])
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Ihre Einstellungen wurden gespeichert."))
            return redirect("accounts:notification-settings")
    return render(request, "accounts/notification_settings.html", {"form": form})
