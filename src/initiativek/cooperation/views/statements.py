"""Closing statements of events turned into proposals in one step, and the team's follow-up
on statements that have not become anything (SPEC §5 outcomes → §7 proposals)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from initiativek.core.views_utils import add_validation_error, parse_id
from initiativek.organizations import permissions as org_permissions

from .. import permissions, selectors, services
from ..forms import FromStatementForm
from ._exchange import GET_POST, exchange_required, service_error


@exchange_required
@GET_POST
def proposal_from_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_get(pk=pk)
    if not permissions.can_propose_from_statement(request.user, statement):
        raise PermissionDenied(
            _(
                "Statements übernehmen die Gastgeber der Veranstaltung, die Redaktion von "
                "%(organization)s und das Team der Initiative."
            )
            % {"organization": statement.organization.name}
        )
    existing = statement.proposals.first()
    if existing is not None:
        messages.info(request, _("Aus diesem Statement ist bereits dieser Vorschlag entstanden."))
        return redirect(existing)
    form = FromStatementForm(
        request.POST or None,
        initial=FromStatementForm.initial_for_statement(statement),
        statement=statement,
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_from_statement(
                actor=request.user, statement=statement, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request, _("Aus dem Statement ist ein Kooperationsvorschlag geworden.")
            )
            return redirect(proposal)
    context = {"form": form, "statement": statement, "initiator": statement.organization}
    return render(request, "cooperation/from_statement.html", context)


@exchange_required
@GET_POST
def followup_list(request: HttpRequest) -> HttpResponse:
    if not org_permissions.is_team(request.user):
        raise PermissionDenied(_("Das Nachfassen ist Aufgabe des Teams der Initiative."))
    statements = selectors.statement_list_for_followup()
    statement_pk = parse_id(request.POST.get("erinnern"))
    if request.method == "POST" and statement_pk is not None:
        statement = get_object_or_404(statements, pk=statement_pk)
        try:
            count = services.statement_followup_remind(statement=statement, actor=request.user)
        except ValidationError as exc:
            service_error(request, exc)
        else:
            messages.success(
                request,
                _("%(organization)s ist erinnert (%(count)s Personen benachrichtigt).")
                % {"organization": statement.organization.name, "count": count},
            )
        return redirect("cooperation:followup")
    page = Paginator(statements, 50).get_page(request.GET.get("seite"))
    context = {"page": page, "query": "", "followup_weeks": settings.COOPERATION_FOLLOWUP_WEEKS}
    return render(request, "cooperation/followup.html", context)
