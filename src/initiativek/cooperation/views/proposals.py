"""The cooperation exchange's pages: proposals, requests to join and the thread (turning
closing statements into proposals: ``views.statements``, re-exported here for the URLs).

Members only (``permissions.can_use_exchange``): anonymous visitors get a short introduction
on the list page and are sent to sign in elsewhere; signed-in people without a member
organization (and people of partner companies) get 403 with an explanation. Proposals that
don't exist are 404; actions a member may not take are 403 with a German message (raised by
the services, which check every rule).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from initiativek.core.views_utils import add_validation_error, pagination_query
from initiativek.organizations import permissions as org_permissions

from .. import permissions, selectors, services
from ..constants import JOINABLE_STATUSES, ProposalStatus
from ..forms import (
    DecisionForm,
    JoinRequestForm,
    LeaveForm,
    OrganizationChoiceForm,
    PostForm,
    ProposalFilterForm,
    ProposalForm,
    StatusForm,
)
from ..models import CooperationProposal
from ._exchange import GET_POST, exchange_required, members_only_message, service_error

__all__ = [
    "join_request_create",
    "join_request_decide",
    "join_request_withdraw",
    "post_create",
    "proposal_create",
    "proposal_detail",
    "proposal_edit",
    "proposal_leave",
    "proposal_list",
    "proposal_status",
]

PAGE_SIZE = 20


@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "cooperation/intro.html")
    if not permissions.can_use_exchange(user):
        raise PermissionDenied(members_only_message())
    filters = ProposalFilterForm(request.GET).values()
    proposals = selectors.proposal_list(
        status=filters["status"],
        topic=filters["thema"],
        bezirk=filters["bezirk"],
        query=filters["q"],
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("seite"))
    context = {
        "page": page,
        "form": ProposalFilterForm(initial=filters),
        "query": pagination_query(request, "seite"),
        "is_filtered": any(filters.values()),
        "joinable": [str(status) for status in JOINABLE_STATUSES],
        "can_propose": selectors.organization_list_proposing_for(user=user).exists(),
        "is_team": org_permissions.is_team(user),
    }
    return render(request, "cooperation/list.html", context)


@exchange_required
@GET_POST
def proposal_create(request: HttpRequest) -> HttpResponse:
    organizations = selectors.organization_list_proposing_for(user=request.user)
    if not organizations.exists():
        raise PermissionDenied(
            _(
                "Kooperationen schlagen Redaktion und Administration von Mitgliedsorganisationen "
                "vor. Bitten Sie die Administration Ihrer Organisation um diese Rolle."
            )
        )
    if organizations.count() == 1:
        initiator = organizations.get()
    else:
        bound = "organisation" in request.GET
        chooser = OrganizationChoiceForm(
            request.GET if bound else None,
            organizations=organizations,
            initial={"partner": request.GET.get("partner", "")},
        )
        if not chooser.is_valid():
            return render(request, "cooperation/choose_organization.html", {"form": chooser})
        initiator = chooser.cleaned_data["organisation"]
    partner = selectors.organization_partner_for(
        slug=request.GET.get("partner", ""), initiator=initiator
    )
    form = ProposalForm(
        request.POST or None,
        initial=ProposalForm.initial_for_partner(partner),
        project_organization_ids={initiator.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                actor=request.user, initiator=initiator, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Ihr Kooperationsvorschlag ist veröffentlicht."))
            return redirect(proposal)
    context = {"form": form, "initiator": initiator, "partner": partner, "proposal": None}
    return render(request, "cooperation/proposal_form.html", context)


def _detail_context(request: HttpRequest, proposal: CooperationProposal, **forms) -> dict:
    """Everything the detail page shows; ``forms`` replaces a form by a bound one with
    errors (join_form, post_form)."""
    user = request.user
    can_manage = permissions.can_manage_proposal(user, proposal)
    is_closed = proposal.status == ProposalStatus.CLOSED
    context = {
        "proposal": proposal,
        "members": selectors.proposal_members(proposal=proposal),
        "projects": selectors.proposal_projects_for_viewer(proposal=proposal, user=user),
        "source_event_visible": selectors.proposal_source_event_visible(
            proposal=proposal, user=user
        ),
        "can_manage": can_manage,
        "is_closed": is_closed,
        "wanted_kinds": selectors.proposal_wanted_kind_labels(proposal=proposal),
        "can_read_thread": permissions.can_read_thread(user, proposal),
        "leave_form": None,
        "join_form": forms.get("join_form"),
        "post_form": forms.get("post_form"),
    }
    if can_manage:
        context["next_statuses"] = selectors.proposal_next_statuses(proposal=proposal)
        context["pending"] = [
            (join_request, DecisionForm(prefix=f"r{join_request.pk}"))
            for join_request in selectors.join_request_list_pending(proposal=proposal)
        ]
    options = selectors.join_options_for_user(user=user, proposal=proposal)
    context["join_requests"] = options["requests"]
    context["join_waiting"] = options["waiting"]
    if context["join_form"] is None and options["requestable"]:
        context["join_form"] = JoinRequestForm(organizations=options["requestable"])
    if context["can_read_thread"]:
        context["posts"] = selectors.post_list(proposal=proposal)
        posting_for = list(selectors.organization_list_posting_for(user=user, proposal=proposal))
        if context["post_form"] is None and posting_for and not is_closed:
            context["post_form"] = PostForm(organizations=posting_for)
    if not is_closed:  # a closed cooperation keeps its members
        leavable = selectors.organization_list_leavable(user=user, proposal=proposal)
        context["leave_form"] = LeaveForm(organizations=leavable) if leavable else None
    return context


@exchange_required
@require_safe
def proposal_detail(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = selectors.proposal_get(slug=slug)
    return render(request, "cooperation/detail.html", _detail_context(request, proposal))


def _managed_proposal(request: HttpRequest, slug: str) -> CooperationProposal:
    proposal = selectors.proposal_get(slug=slug)
    if not permissions.can_manage_proposal(request.user, proposal):
        raise PermissionDenied(
            _("Diesen Vorschlag bearbeiten die Redaktion von %(organization)s und das Team.")
            % {"organization": proposal.initiator.name}
        )
    return proposal


@exchange_required
@GET_POST
def proposal_edit(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = _managed_proposal(request, slug)
    if proposal.status == ProposalStatus.CLOSED:
        messages.info(request, _("Ein abgeschlossener Vorschlag kann nicht bearbeitet werden."))
        return redirect(proposal)
    form = ProposalForm(
        request.POST or None,
        initial=ProposalForm.initial_for(proposal),
        project_organization_ids=permissions.member_organization_ids(proposal),
        linked_project_ids=proposal.projects.values_list("pk", flat=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_update(
                actor=request.user, proposal=proposal, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Der Vorschlag wurde gespeichert."))
            return redirect(proposal)
    context = {"form": form, "initiator": proposal.initiator, "proposal": proposal}
    return render(request, "cooperation/proposal_form.html", context)


@exchange_required
@require_POST
def proposal_status(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = _managed_proposal(request, slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie einen der angebotenen Status."))
        return redirect(proposal)
    try:
        proposal = services.proposal_set_status(
            actor=request.user, proposal=proposal, status=form.cleaned_data["status"]
        )
    except ValidationError as exc:
        service_error(request, exc)
    else:
        messages.success(
            request,
            _("Der Vorschlag ist jetzt „%(status)s“.") % {"status": proposal.get_status_display()},
        )
    return redirect(proposal)


@exchange_required
@require_POST
def join_request_create(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = selectors.proposal_get(slug=slug)
    organizations = list(selectors.organization_list_speaking_for(user=request.user))
    if not organizations:
        raise PermissionDenied(
            _("Beitrittsanfragen stellen Redaktion und Administration einer Mitgliedsorganisation.")
        )
    form = JoinRequestForm(request.POST, organizations=organizations)
    if form.is_valid():
        try:
            services.join_request_create(
                actor=request.user,
                proposal=proposal,
                organization=form.cleaned_data["organization"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Ihre Anfrage ist gestellt; %(organization)s entscheidet darüber.")
                % {"organization": proposal.initiator.name},
            )
            return redirect(proposal)
    context = _detail_context(request, proposal, join_form=form)
    return render(request, "cooperation/detail.html", context)


@exchange_required
@require_POST
def join_request_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(slug=slug)
    join_request = get_object_or_404(proposal.join_requests.select_related("organization"), pk=pk)
    form = DecisionForm(request.POST, prefix=f"r{join_request.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(proposal)
    accept = form.cleaned_data["decision"] == "annehmen"
    try:
        services.join_request_decide(
            actor=request.user,
            join_request=join_request,
            accept=accept,
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        service_error(request, exc)
    else:
        name = join_request.organization.name
        if accept:
            text = _(
                "%(organization)s ist jetzt an der Kooperation beteiligt. Den Status des "
                "Vorschlags ändern Sie selbst, zum Beispiel auf „in Gründung“."
            )
        else:
            text = _("Die Anfrage ist abgelehnt; %(organization)s wird benachrichtigt.")
        messages.success(request, text % {"organization": name})
    return redirect(f"{proposal.get_absolute_url()}#anfragen")


@exchange_required
@require_POST
def join_request_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(slug=slug)
    join_request = get_object_or_404(proposal.join_requests.select_related("organization"), pk=pk)
    try:
        services.join_request_withdraw(actor=request.user, join_request=join_request)
    except ValidationError as exc:
        service_error(request, exc)
    else:
        messages.success(request, _("Die Anfrage ist zurückgezogen."))
    return redirect(proposal)


@exchange_required
@require_POST
def post_create(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = selectors.proposal_get(slug=slug)
    organizations = list(
        selectors.organization_list_posting_for(user=request.user, proposal=proposal)
    )
    if not organizations:
        raise PermissionDenied(
            _("In der Diskussion schreiben die Personen der beteiligten Organisationen.")
        )
    form = PostForm(request.POST, organizations=organizations)
    if form.is_valid():
        try:
            post = services.post_create(
                actor=request.user,
                proposal=proposal,
                organization=form.cleaned_data["organization"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Ihr Beitrag ist veröffentlicht."))
            return redirect(f"{proposal.get_absolute_url()}#beitrag-{post.pk}")
    context = _detail_context(request, proposal, post_form=form)
    return render(request, "cooperation/detail.html", context)


@exchange_required
@require_POST
def proposal_leave(request: HttpRequest, slug: str) -> HttpResponse:
    proposal = selectors.proposal_get(slug=slug)
    organizations = selectors.organization_list_leavable(user=request.user, proposal=proposal)
    if not organizations:
        raise PermissionDenied(
            _("Austreten kann nur die Redaktion einer beteiligten Organisation.")
        )
    form = LeaveForm(request.POST, organizations=organizations)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie die Organisation, die austritt."))
        return redirect(proposal)
    organization = form.cleaned_data["organization"]
    try:
        services.proposal_leave(actor=request.user, proposal=proposal, organization=organization)
    except ValidationError as exc:
        service_error(request, exc)
    else:
        messages.success(
            request,
            _("%(organization)s ist nicht mehr an der Kooperation beteiligt.")
            % {"organization": organization.name},
        )
    return redirect(proposal)
