from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from initiativek.core.views_utils import add_validation_error, pagination_query
from initiativek.projects import selectors as project_selectors

from . import permissions, selectors, services
from .constants import ApplicationStatus
from .filters import OrganizationFilter
from .forms import (
    ApplicationForm,
    ContactFormSet,
    InvitationForm,
    NewOrganizationApplicationForm,
    OrganizationForm,
    ReviewForm,
    RoleForm,
)
from .models import MembershipApplication


def directory(request):
    queryset = selectors.organization_list().order_by("-is_member", "name")
    filterset = OrganizationFilter(request.GET or None, queryset=queryset)
    paginator = Paginator(filterset.qs, settings.DIRECTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("seite"))
    return render(
        request,
        "organizations/directory.html",
        {
            "filter": filterset,
            "page": page,
            "query": pagination_query(request, "seite"),
            "total": paginator.count,
        },
    )


def detail(request, slug):
    organization = selectors.organization_get(slug=slug)
    user = request.user
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "breadcrumb": selectors.organization_region_path(organization=organization),
            "contacts": selectors.organization_contacts_for_viewer(
                organization=organization, user=user
            ),
            "hidden_contacts": selectors.organization_hidden_contact_count(
                organization=organization, user=user
            ),
            "children": selectors.organization_children(organization=organization),
            "projects": project_selectors.project_list_for_organization(
                organization=organization, user=user
            ),
            "can_edit": permissions.can_edit_organization(user, organization),
            "can_manage_people": permissions.can_manage_people(user, organization),
            "people": selectors.membership_list_for_organization(organization=organization)
            if permissions.can_see_people(user, organization)
            else None,
            "my_role": permissions.role_in(user, organization),
            "application_pending": user.is_authenticated
            and selectors.application_pending_for(user=user, organization=organization),
        },
    )


@login_required
def edit(request, slug):
    organization = selectors.organization_get(slug=slug)
    if not permissions.can_edit_organization(request.user, organization):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, instance=organization, prefix="org")
    contacts = ContactFormSet(request.POST or None, instance=organization, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        try:
            services.organization_profile_save(
                organization=organization,
                actor=request.user,
                data={field: form.cleaned_data[field] for field in form.fields},
                contacts=contacts,
            )
        except ValidationError as exc:  # e.g. a crossing change made the parent a cycle
            form.add_error(None, exc)
        else:
            messages.success(request, _("Das Profil wurde gespeichert."))
            return redirect(organization)
    return render(
        request,
        "organizations/edit.html",
        {"organization": organization, "form": form, "contacts": contacts},
    )


@login_required
def people(request, slug):
    organization = selectors.organization_get(slug=slug)
    if not permissions.can_manage_people(request.user, organization):
        raise PermissionDenied
    invite_form = InvitationForm(prefix="invite")
    if request.method == "POST":
        response = _people_action(request, organization)
        if response is not None:
            return response
        invite_form = InvitationForm(request.POST, prefix="invite")
        if invite_form.is_valid():
            try:
                services.invitation_create(
                    organization=organization, actor=request.user, **invite_form.cleaned_data
                )
            except ValidationError as exc:
                add_validation_error(invite_form, exc)
            else:
                messages.success(
                    request,
                    _("Die Einladung an %(email)s wurde verschickt.")
                    % {"email": invite_form.cleaned_data["email"]},
                )
                return redirect("organizations:people", slug=slug)
    memberships = selectors.membership_list_for_organization(organization=organization)
    return render(
        request,
        "organizations/people.html",
        {
            "organization": organization,
            "memberships": [
                (m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in memberships
            ],
            "invitations": selectors.invitation_list_open_for_organization(
                organization=organization
            ),
            "invite_form": invite_form,
        },
    )


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


def _people_action(request, organization):
    """Role changes and revocations posted from the people page."""
    action = request.POST.get("action")
    if action not in {"role", "revoke"}:
        return None
    try:
        if action == "revoke":
            invitation = get_object_or_404(
                organization.invitations, pk=_posted_id(request, "invitation")
            )
            services.invitation_revoke(invitation=invitation, actor=request.user)
            messages.success(request, _("Die Einladung wurde zurückgezogen."))
        else:
            membership = get_object_or_404(
                organization.memberships.select_related("user"),
                pk=_posted_id(request, "membership"),
            )
            form = RoleForm(request.POST, prefix=f"m{membership.pk}")
            if not form.is_valid():
                messages.error(request, _("Bitte wählen Sie eine gültige Rolle."))
                return redirect("organizations:people", slug=organization.slug)
            services.membership_change_role(
                membership=membership, actor=request.user, role=form.cleaned_data["role"]
            )
            messages.success(
                request, _("Die Rolle von %(name)s wurde geändert.") % {"name": membership.user}
            )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("organizations:people", slug=organization.slug)


@login_required
def membership_remove(request, slug, pk):
    """Confirm, then remove a person from an organization (admins) or leave it (oneself)."""
    organization = selectors.organization_get(slug=slug)
    membership = get_object_or_404(organization.memberships.select_related("user"), pk=pk)
    leaving = membership.user_id == request.user.pk
    if not (leaving or permissions.can_manage_people(request.user, organization)):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if leaving:
                messages.success(
                    request,
                    _("Sie gehören %(organization)s nicht mehr an.")
                    % {"organization": organization},
                )
                return redirect("accounts:dashboard")
            messages.success(request, _("%(name)s wurde entfernt.") % {"name": membership.user})
        if permissions.can_manage_people(request.user, organization):
            return redirect("organizations:people", slug=slug)
        return redirect("accounts:dashboard")
    return render(
        request,
        "organizations/membership_remove.html",
        {"organization": organization, "membership": membership, "leaving": leaving},
    )


@login_required
def apply_start(request):
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "organizations/apply_start.html",
        {"query": query, "results": selectors.organization_search(query=query)},
    )


@login_required
def apply_existing(request, slug):
    organization = selectors.organization_get(slug=slug)
    form = ApplicationForm(
        request.POST or None, initial={"applicant_function": request.user.function}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(
                applicant=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Ihr Antrag ist eingegangen. Das Team der Initiative meldet sich per E-Mail."),
            )
            return redirect("accounts:dashboard")
    return render(request, "organizations/apply.html", {"organization": organization, "form": form})


@login_required
def apply_new(request):
    form = NewOrganizationApplicationForm(
        request.POST or None, initial={"applicant_function": request.user.function}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_submit(
                applicant=request.user,
                organization=None,
                applicant_function=data["applicant_function"],
                message=data["message"],
                new_organization={
                    "name": data["new_organization_name"],
                    "kind": data["new_organization_kind"],
                    "ags": data["new_organization_ags"],
                    "website": data["new_organization_website"],
                },
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Ihr Antrag ist eingegangen. Das Team der Initiative meldet sich per E-Mail."),
            )
            return redirect("accounts:dashboard")
    return render(request, "organizations/apply.html", {"organization": None, "form": form})


@login_required
@require_POST
def application_withdraw(request, pk):
    application = get_object_or_404(MembershipApplication, pk=pk, applicant=request.user)
    try:
        services.application_withdraw(application=application, actor=request.user)
    except (ValidationError, PermissionDenied):
        messages.error(request, _("Dieser Antrag kann nicht mehr zurückgezogen werden."))
    else:
        messages.success(request, _("Ihr Antrag wurde zurückgezogen."))
    return redirect("accounts:dashboard")


def invitation_accept(request, token):
    invitation = selectors.invitation_get_by_token(token=token)
    if not request.user.is_authenticated:
        return render(request, "organizations/invitation_login.html", {"invitation": invitation})
    wrong_account = request.user.email.lower() != invitation.email.lower()
    if request.method == "POST" and not wrong_account:
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Willkommen! Sie gehören jetzt zu %(organization)s.")
                % {"organization": invitation.organization},
            )
            return redirect(invitation.organization)
    return render(
        request,
        "organizations/invitation_accept.html",
        {"invitation": invitation, "wrong_account": wrong_account},
    )


@login_required
def review_list(request):
    if not permissions.can_review_applications(request.user):
        raise Http404
    status = request.GET.get("status", ApplicationStatus.PENDING)
    if status not in ApplicationStatus.values and status != "alle":
        status = ApplicationStatus.PENDING
    paginator = Paginator(
        selectors.application_list_for_review(status=status if status != "alle" else None), 25
    )
    return render(
        request,
        "organizations/review_list.html",
        {
            "page": paginator.get_page(request.GET.get("seite")),
            "status": status,
            "statuses": ApplicationStatus.choices,
            "counts": selectors.application_status_counts(),
        },
    )


@login_required
def review_detail(request, pk):
    application = selectors.application_get_for_review(user=request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    is_open = application.status == ApplicationStatus.PENDING
    if request.method == "POST" and is_open and form.is_valid():
        decide = (
            services.application_approve
            if form.cleaned_data["decision"] == "approve"
            else services.application_reject
        )
        try:
            decide(application=application, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Die Entscheidung wurde gespeichert und mitgeteilt."))
            return redirect("organizations:review-list")
    return render(
        request,
        "organizations/review_detail.html",
        {
            "application": application,
            "form": form,
            "similar": selectors.organization_search(query=application.new_organization_name)
            if application.organization is None
            else [],
        },
    )
