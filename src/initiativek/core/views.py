from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from initiativek.organizations import selectors as organization_selectors

from .constants import Goal
from .selectors import database_is_healthy


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "goals": Goal.choices,
            "member_count": organization_selectors.organization_member_count(),
            "partners": organization_selectors.organization_partner_list(),
        },
    )


def initiative(request):
    return render(request, "core/initiative.html", {"goals": Goal.choices})


def page(request, template: str):
    return render(request, f"core/pages/{template}.html")


def section_in_preparation(request, section: str):
    titles = {
        "projects": _("Projekte"),
        "events": _("Veranstaltungen"),
        "exchange": _("Erfahrungsaustausch"),
        "cooperation": _("Kooperation"),
    }
    return render(
        request, "core/in_preparation.html", {"section": section, "title": titles[section]}
    )


@never_cache
@require_GET
def healthz(request):
    if database_is_healthy():
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
