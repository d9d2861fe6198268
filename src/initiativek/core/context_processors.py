from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("initiative", _("Initiative"), "core:initiative"),
    ("organizations", _("Organisationen"), "organizations:directory"),
    ("projects", _("Projekte"), "core:projects"),
    ("events", _("Veranstaltungen"), "core:events"),
    ("exchange", _("Erfahrungsaustausch"), "core:exchange"),
    ("cooperation", _("Kooperation"), "core:cooperation"),
]


def platform(request):
    path = request.path
    items = []
    for key, label, url_name in NAVIGATION:
        url = reverse(url_name)
        items.append({"key": key, "label": label, "url": url, "active": path.startswith(url)})
    return {
        "platform_name": settings.PLATFORM_NAME,
        "main_navigation": items,
        "imprint": settings.IMPRINT,
    }
