import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import mark_safe
from django.utils.translation import gettext as _

from initiativek.cooperation.recommendations import implemented_like_for_project
from initiativek.core.views_utils import add_validation_error, parse_id

from .. import permissions, selectors, services
from ..attachments import attachment_response
from ..forms import InterestForm, ReplyForm

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _schema_org(request, project) -> str:
    """schema.org Project metadata as JSON-LD (a data block, not executed; CSP-safe)."""
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": project.title,
        "description": project.summary,
        "url": request.build_absolute_uri(project.get_absolute_url()),
        "sponsor": {"@type": "Organization", "name": project.owner.name},
        "inLanguage": "de",
    }
    if project.start_month:
        data["foundingDate"] = project.start_month.strftime("%Y-%m")
    keywords = [topic.name for topic in project.topics.all()]
    if keywords:
        data["keywords"] = ", ".join(keywords)
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


def project_detail(request, slug):
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    user = request.user
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "can_edit": permissions.can_edit_project(user, project),
            "can_declare_interest": permissions.can_declare_interest(user, project),
            "goals": project.goal_links.all(),
            "timeline": selectors.project_status_timeline(project=project),
            "similar": selectors.project_similar(project=project, user=user),
            "others_planning": selectors.project_others_planning(project=project, user=user),
            "implemented_like": implemented_like_for_project(project=project, user=user),
            "interests": selectors.interest_list_for_viewer(project=project, user=user),
            "schema_org": _schema_org(request, project),
            "contact": selectors.project_contact_for_viewer(project=project, user=user),
            "site_url": settings.SITE_URL,
        },
    )


def attachment_download(request, slug, pk):
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    attachment = get_object_or_404(project.attachments, pk=pk)
    return attachment_response(attachment)


@login_required
def interest(request, slug):
    """Declare interest (members of other organizations) and follow the exchange."""
    project = selectors.project_get_for_user(user=request.user, slug=slug)
    organizations = selectors.interest_organizations_for(user=request.user, project=project)
    can_declare = permissions.can_declare_interest(request.user, project) and organizations
    interests = selectors.interest_list_for_viewer(project=project, user=request.user)
    if (
        not can_declare
        and not interests.exists()
        and not permissions.can_edit_project(request.user, project)
    ):
        raise PermissionDenied
    form = InterestForm(prefix="i", organizations=organizations) if can_declare else None
    reply = {"form": ReplyForm(prefix="r"), "to": None}
    if request.method == "POST":
        response = _interest_post(request, project, organizations, can_declare, reply)
        if response is not None and not isinstance(response, InterestForm):
            return response
        form = response or form
    return render(
        request,
        "projects/interest.html",
        {
            "project": project,
            "form": form,
            "interests": interests,
            "reply_form": reply["form"],
            "reply_to": reply["to"],
            "can_reply_as": selectors.interest_reply_organizations(
                user=request.user, project=project
            ),
        },
    )


def _interest_post(request, project, organizations, can_declare, reply):
    if "reply_to" in request.POST:
        interest_id = parse_id(request.POST["reply_to"])
        if interest_id is None:
            raise PermissionDenied
        target = get_object_or_404(project.interests, pk=interest_id)
        form = ReplyForm(request.POST, prefix="r")
        if form.is_valid():
            services.interest_reply(interest=target, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Ihre Nachricht wurde gesendet."))
            return redirect("projects:interest", slug=project.slug)
        reply["form"], reply["to"] = form, target.pk  # shown again with the error
        return None
    if not can_declare:
        raise PermissionDenied
    form = InterestForm(request.POST, prefix="i", organizations=organizations)
    if form.is_valid():
        try:
            services.interest_declare(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return form
        messages.success(
            request, _("Ihr Interesse wurde übermittelt. Die Organisation wurde benachrichtigt.")
        )
        return redirect("projects:interest", slug=project.slug)
    return form
