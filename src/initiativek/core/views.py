from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from initiativek.organizations import selectors as organization_selectors
from initiativek.projects import selectors as project_selectors

from .constants import Goal
from .forms import AccessibilityFeedbackForm
from .pagecache import cache_for_visitors
from .selectors import database_is_healthy
from .services import accessibility_feedback_submit, rate_limit_exceeded

# The feedback form is open to everyone and each report mails the team: a limit per client
# keeps a script from flooding the team's mailbox (SPEC §9, login throttling and rate limits).
FEEDBACK_PER_HOUR = 10


@cache_for_visitors(
    name="home",
    version=project_selectors.catalog_version,
    timeout=project_selectors.CATALOG_CACHE_SECONDS,
)
def home(request):
    goal_counts = project_selectors.goal_project_counts(user=request.user)
    return render(
        request,
        "core/home.html",
        {
            "goals": [
                (number, label, goal_counts.get(number, 0)) for number, label in Goal.choices
            ],
            # Organizations' saves renew the catalog version too.
            "member_count": project_selectors.catalog_cached(
                "home-member-count", organization_selectors.organization_member_count
            ),
            "partners": project_selectors.catalog_cached(
                "home-partners",
                lambda: list(organization_selectors.organization_partner_list()),
            ),
        },
    )


def initiative(request):
    return render(request, "core/initiative.html", {"goals": Goal.choices})


def page(request, template: str):
    return render(request, f"core/pages/{template}.html")


def privacy(request):
    """The privacy notice, with the retention periods as configured."""
    return render(
        request,
        "core/pages/datenschutz.html",
        {
            "participant_days": settings.EVENT_PARTICIPANT_RETENTION_DAYS,
            "mail_days": settings.MAIL_RETENTION_DAYS,
        },
    )


def accessibility(request):
    """The accessibility statement with its feedback form (L-BGG: a working feedback path)."""
    form = AccessibilityFeedbackForm(
        request.POST or None, initial={"page_url": request.GET.get("seite", "")[:500]}
    )
    if request.method == "POST" and rate_limit_exceeded(
        key=f"accessibility-feedback:{request.META.get('REMOTE_ADDR', '')}",
        limit=FEEDBACK_PER_HOUR,
        period_seconds=3600,
    ):
        form.add_error(
            None, _("Zu viele Rückmeldungen von diesem Anschluss. Bitte später erneut versuchen.")
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accessibility_feedback_submit(
            name=data["name"],
            email=data["email"],
            page_url=data["page_url"],
            message=data["message"],
        )
        messages.success(
            request, _("Vielen Dank! Ihre Rückmeldung ist beim Team der Initiative angekommen.")
        )
        return redirect("core:accessibility")
    return render(request, "core/pages/barrierefreiheit.html", {"form": form})


def healthz(request):
    if database_is_healthy():
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
