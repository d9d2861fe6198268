from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from initiativek.core.views_utils import add_validation_error, parse_id
from initiativek.organizations import selectors as organization_selectors

from .. import permissions, selectors, services
from ..constants import Publication
from ..forms import AttachmentForm, LinkFormSet, OwnerChoiceForm, ProjectForm, PublicationForm


def _project_form_page(request, *, owner, project=None):
    form = ProjectForm(request.POST or None, owner=owner, instance=project, prefix="p")
    links = LinkFormSet(request.POST or None, instance=project, prefix="links")
    if request.method == "POST" and form.is_valid() and links.is_valid():
        data, relations = form.split()
        relations["links"] = links
        try:
            with transaction.atomic():
                if project is None:
                    project = services.project_create(
                        actor=request.user, owner=owner, data=data, relations=relations
                    )
                else:
                    project = services.project_update(
                        project=project,
                        actor=request.user,
                        data=data,
                        relations=relations,
                        version=form.cleaned_data["version"],
                    )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Das Projekt wurde gespeichert."))
            return redirect(project)
    return render(
        request,
        "projects/form.html",
        {"form": form, "links": links, "owner": owner, "project": project},
    )


@login_required
def project_create(request):
    organizations = organization_selectors.organization_list_editable_by(user=request.user)
    if not organizations.exists():
        raise PermissionDenied
    chooser = OwnerChoiceForm(request.GET or None, organizations=organizations)
    if organizations.count() == 1:
        owner = organizations.get()
    elif chooser.is_valid():
        owner = chooser.cleaned_data["owner"]
    else:
        return render(request, "projects/choose_owner.html", {"form": chooser})
    if not permissions.can_create_project_for(request.user, owner):
        raise PermissionDenied
    return _project_form_page(request, owner=owner)


@login_required
def project_edit(request, slug):
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    return _project_form_page(request, owner=project.owner, project=project)


@login_required
@require_POST
def project_publication(request, slug):
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    form = PublicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unbekannter Veröffentlichungsstand."))
        return redirect(project)
    services.project_set_publication(
        project=project, actor=request.user, publication=form.cleaned_data["publication"]
    )
    texts = {
        Publication.PUBLISHED: _("Das Projekt ist jetzt veröffentlicht."),
        Publication.DRAFT: _("Das Projekt ist wieder ein Entwurf."),
        Publication.ARCHIVED: _("Das Projekt wurde archiviert."),
    }
    messages.success(request, texts[form.cleaned_data["publication"]])
    return redirect(project)


@login_required
def project_history(request, slug):
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    if not permissions.can_view_history(request.user, project):
        raise PermissionDenied
    labels = selectors.project_history_labels()
    versions = list(project.versions.select_related("actor")[:100])
    for version in versions:
        version.changed_labels = [labels.get(name, name) for name in version.changed_fields]
    return render(request, "projects/history.html", {"project": project, "versions": versions})


@login_required
def attachment_manage(request, slug):
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    if not permissions.can_edit_project(request.user, project):
        raise PermissionDenied
    form = AttachmentForm(prefix="a")
    delete_pk = parse_id(request.POST.get("delete"))
    if request.method == "POST" and delete_pk is not None:
        attachment = get_object_or_404(project.attachments, pk=delete_pk)
        services.attachment_delete(attachment=attachment, actor=request.user)
        messages.success(request, _("Der Anhang wurde gelöscht."))
        return redirect("projects:attachments", slug=slug)
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES, prefix="a")
        if form.is_valid():
            try:
                services.attachment_add(
                    project=project,
                    actor=request.user,
                    uploaded_file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(request, _("Der Anhang wurde hochgeladen."))
                return redirect("projects:attachments", slug=slug)
    return render(
        request,
        "projects/attachments.html",
        {"project": project, "form": form, "attachments": project.attachments.all()},
    )
