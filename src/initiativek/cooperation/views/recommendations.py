"""``/kooperation/empfehlungen/``: partner suggestions for the viewer's organization, with
reasons, filters (``?thema=&entfernung=&art=``), hiding and showing again.

Members only: anonymous people are sent to log in, signed-in people without a member
organization (and people of partner companies) get a 403 page that explains membership.
``?organisation=<slug>`` chooses among the person's member organizations; the team may choose
any member organization.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from initiativek.core.models import Topic
from initiativek.core.views_utils import pagination_query, parse_id
from initiativek.organizations import permissions as org_permissions
from initiativek.organizations.models import Organization

from .. import permissions, services_recommendations
from ..constants import DismissalReason
from ..recommendations import selectors
from ..recommendations.filters import (
    DISTANCE_CHOICES,
    KIND_CHOICES,
    recommendation_filters_parse,
)
from ..recommendations.loading import candidate_organizations

# Each suggestion is a card with up to six reasons, links to the projects behind them and two
# actions: ten per page can still be read through, and the page stays fast (benchmarks/README.md).
PAGE_SIZE = 10
# Carried from the dismiss form back to the list, so filters and page survive.
LIST_PARAMS = ("organisation", "thema", "entfernung", "art", "seite")


def _forbidden(request):
    return render(request, "cooperation/recommendations_forbidden.html", status=403)


@require_safe
@login_required
def recommendation_list(request):
    if not permissions.can_use_exchange(request.user):
        return _forbidden(request)
    viewer = selectors.recommendation_viewer(
        user=request.user, slug=request.GET.get("organisation", "")
    )
    if viewer.organization is None:
        return render(request, "cooperation/recommendations_choose.html", {"viewer": viewer})
    organization = viewer.organization
    filters = recommendation_filters_parse(request.GET)
    result = selectors.recommendation_list(organization=organization, filters=filters)
    page = Paginator(result.suggestions, PAGE_SIZE).get_page(request.GET.get("seite"))
    suggestions = selectors.recommendation_explain(result=result, suggestions=page.object_list)
    items = selectors.suggestion_items(
        result=result, suggestions=suggestions, organization=organization, user=request.user
    )
    return render(
        request,
        "cooperation/recommendations.html",
        {
            "viewer": viewer,
            "organization": organization,
            "result": result,
            "filters": result.filters,
            "page": page,
            "items": items,
            "query": pagination_query(request, "seite"),
            "can_dismiss": permissions.speaks_for(request.user, organization),
            "can_propose": _can_propose(request.user, organization),
            # Translated once, not once per suggestion.
            "dismissal_reasons": [(value, str(label)) for value, label in DismissalReason.choices],
            "topics": Topic.objects.all(),
            "kinds": KIND_CHOICES,
            "distances": DISTANCE_CHOICES,
        },
    )


def _can_propose(user, organization: Organization) -> bool:
    """Whether „Kooperation vorschlagen“ leads anywhere for this person and organization."""
    return permissions.can_propose(user, organization) or org_permissions.is_team(user)


def _list_url(request, name: str = "cooperation:recommendations") -> str:
    params = [(key, request.POST[key]) for key in LIST_PARAMS if request.POST.get(key)]
    query = urlencode(params)
    return reverse(name) + (f"?{query}" if query else "")


@require_POST
@login_required
def dismiss(request):
    """Hide an organization from the suggestions (``reason``), or show it again (``undo=1``),
    for the organization ``organisation`` names (404 if unknown or not the person's own).
    Editors and admins of the organization only (403 with an explanation for others)."""
    if not permissions.can_use_exchange(request.user):
        return _forbidden(request)
    organization = selectors.recommendation_organization_named(
        user=request.user, slug=request.POST.get("organisation", "")
    )
    other_id = parse_id(request.POST.get("other"))
    if other_id is None:
        raise Http404
    if request.POST.get("undo") == "1":
        other = get_object_or_404(Organization, pk=other_id)
        services_recommendations.recommendation_restore(
            organization=organization, other=other, actor=request.user
        )
        messages.success(
            request, _("%(name)s wird wieder empfohlen, wenn es passt.") % {"name": other.name}
        )
        return redirect(_list_url(request, "cooperation:dismissed"))
    other = get_object_or_404(candidate_organizations(), pk=other_id)
    try:
        services_recommendations.recommendation_dismiss(
            organization=organization,
            other=other,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "%(name)s wird nicht mehr empfohlen. Unter „Ausgeblendete Organisationen“ "
                "können Sie das rückgängig machen."
            )
            % {"name": other.name},
        )
    return redirect(_list_url(request))


@require_safe
@login_required
def dismissed_list(request):
    """What is hidden from the suggestions: dismissed organizations (with „wieder anzeigen“
    for editors) and existing cooperation partners (hidden automatically)."""
    if not permissions.can_use_exchange(request.user):
        return _forbidden(request)
    viewer = selectors.recommendation_viewer(
        user=request.user, slug=request.GET.get("organisation", "")
    )
    if viewer.organization is None:
        return render(request, "cooperation/recommendations_choose.html", {"viewer": viewer})
    organization = viewer.organization
    return render(
        request,
        "cooperation/recommendations_dismissed.html",
        {
            "viewer": viewer,
            "organization": organization,
            "dismissals": selectors.recommendation_dismissals(organization=organization),
            "partners": selectors.recommendation_partners(
                organization=organization, user=request.user
            ),
            "can_dismiss": permissions.speaks_for(request.user, organization),
        },
    )
