"""The team's page of the audit log (who changed what, when)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from initiativek.core.views_utils import pagination_query
from initiativek.organizations.permissions import is_team
from initiativek.privacy.forms import AuditFilterForm
from initiativek.privacy.selectors_audit import (
    audit_entry_list,
    audit_object_type_choices,
    audit_rows,
)

AUDIT_PER_PAGE = 50


@login_required
def audit_log(request):
    """Entries newest first, 50 a page, filtered by area, action, kind of object, person and
    period. Only the initiative team; everyone else signed in gets 403."""
    if not is_team(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None, object_types=audit_object_type_choices())
    form.is_valid()
    page = Paginator(audit_entry_list(filters=form.filters()), AUDIT_PER_PAGE).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": audit_rows(entries=list(page.object_list)),
            "query": pagination_query(request, "seite"),
            "is_filtered": any(value for key, value in request.GET.items() if key != "seite"),
        },
    )
