from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from initiativek.core.notifications import (
    notification_list_for_user,
    notification_mark_all_read,
)
from initiativek.organizations import selectors as organization_selectors
from initiativek.projects import selectors as project_selectors
from initiativek.surveys import selectors as survey_selectors

from . import services
from .forms import ProfileForm


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
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def notifications(request):
    """The person's notifications; opening the list marks them read (POST "alle gelesen")."""
    if request.method == "POST":
        notification_mark_all_read(user=request.user)
        return redirect("accounts:notifications")
    return render(
        request,
        "accounts/notifications.html",
        {"notifications": notification_list_for_user(user=request.user)[:100]},
    )
