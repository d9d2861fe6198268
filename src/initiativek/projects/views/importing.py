"""The project import page: upload, dry-run report, confirmation, result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from initiativek.core.models import Topic
from initiativek.organizations import selectors as organization_selectors

from .. import importing
from ..importing.forms import ImportUploadForm

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organizations(user):
    organizations = organization_selectors.organization_list_editable_by(user=user)
    if not organizations.exists():
        raise PermissionDenied(
            _(
                "Projekte importieren können Redakteurinnen, Redakteure und Admins von "
                "Mitgliedsorganisationen."
            )
        )
    return organizations


@login_required
def project_import_upload(request):
    organizations = _organizations(request.user)
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, organizations=organizations
    )
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data["organization"]
        report = importing.project_import(
            actor=request.user, owner=owner, table=form.cleaned_data["table"], dry_run=True
        )
        token = ""
        if report.ok:
            token = importing.upload_store(
                content=form.cleaned_data["content"],
                user_id=request.user.pk,
                organization_id=owner.pk,
            )
        return render(
            request,
            "projects/import_report.html",
            {"report": report, "owner": owner, "token": token},
        )
    return render(
        request,
        "projects/import.html",
        {"form": form, "columns": importing.COLUMNS, "topics": Topic.objects.all()},
    )


@login_required
@require_POST
def project_import_confirm(request):
    organizations = _organizations(request.user)
    try:
        content, organization_id, name = importing.upload_load(
            token=request.POST.get("token", ""), user_id=request.user.pk
        )
        importing.upload_claim(name)
        # The bytes are in memory now; the stored copy goes whatever the outcome.
        importing.upload_discard(name)
        table = importing.table_read(content)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("projects:import")
    owner = organizations.filter(pk=organization_id).first()
    if owner is None:
        raise PermissionDenied(_("Sie dürfen für diese Organisation keine Projekte anlegen."))
    report = importing.project_import(actor=request.user, owner=owner, table=table, dry_run=False)
    return render(request, "projects/import_report.html", {"report": report, "owner": owner})


def project_import_template(request, extension: str):
    """The template file with the header row and an example row."""
    if extension == "xlsx":
        response = HttpResponse(importing.template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="projekte-vorlage.{extension}"'
    return response
