from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .notifications import notification_unread_count

NAVIGATION = [
    ("initiative", _("Initiative"), "core:initiative"),
    ("organizations", _("Organisationen"), "organizations:directory"),
    ("projects", _("Projekte"), "projects:catalog"),
    ("events", _("Veranstaltungen"), "events:list"),
    ("exchange", _("Erfahrungsaustausch"), "surveys:list"),
    ("cooperation", _("Kooperation"), "cooperation:list"),
]


def platform(request):
    path = request.path
    items = []
    for key, label, url_name in NAVIGATION:
        url = reverse(url_name)
        items.append({"key": key, "label": label, "url": url, "active": path.startswith(url)})
    return {
        "unread_notifications": notification_unread_count(user=request.user)
        if hasattr(request, "user")
        else 0,
        "platform_name": settings.PLATFORM_NAME,
        "main_navigation": items,
        "imprint": settings.IMPRINT,
    }
