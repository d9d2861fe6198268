"""Atom feeds of new and updated public projects and events (Django's syndication framework).

The items come from the same selectors as the open data sets: published public projects, and
published (or cancelled) events – never drafts or members-only projects.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from initiativek.core.templatetags.kern import german_datetime
from initiativek.events.constants import EventStatus
from initiativek.events.models import Event
from initiativek.projects.models import Project

from .datasets import event_queryset, project_queryset

FEED_LENGTH = 50


class ProjectFeed(Feed):
    """The 50 most recently updated public projects, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Initiative K – neue und aktualisierte Projekte")
    subtitle = gettext_lazy("Digitalisierungsprojekte der Kommunen in Baden-Württemberg")
    link = reverse_lazy("projects:catalog")

    def feed_url(self) -> str:
        return reverse("opendata:project-feed")

    def items(self) -> QuerySet[Project]:
        return project_queryset().order_by("-updated_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item: Project) -> str:
        return item.title

    def item_description(self, item: Project) -> str:
        # Atom summaries are HTML; the summary is plain text.
        return escape(f"{item.get_status_display()}: {item.summary}")

    def item_updateddate(self, item: Project):
        return item.updated_at

    def item_pubdate(self, item: Project):
        return item.published_at or item.created_at

    def item_author_name(self, item: Project) -> str:
        return item.owner.name

    def item_author_link(self, item: Project) -> str:
        return settings.SITE_URL + item.owner.get_absolute_url()

    def item_categories(self, item: Project) -> list[str]:
        return [topic.name for topic in item.topics.all()]


class EventFeed(Feed):
    """The 50 most recently updated published events, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Initiative K – Veranstaltungen")
    subtitle = gettext_lazy("Neue und geänderte Veranstaltungen der Initiative K")
    link = reverse_lazy("events:list")

    def feed_url(self) -> str:
        return reverse("opendata:event-feed")

    def items(self) -> QuerySet[Event]:
        return event_queryset().order_by("-updated_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item: Event) -> str:
        if item.status == EventStatus.CANCELLED:
            return _("Abgesagt: %(title)s") % {"title": item.title}
        return item.title

    def item_description(self, item: Event) -> str:
        if item.starts_at:
            when = german_datetime(timezone.localtime(item.starts_at))
        else:
            when = _("Termin folgt")
        parts = [when, str(item.get_format_display()), item.venue, item.summary]
        return escape(" – ".join(part for part in parts if part))

    def item_updateddate(self, item: Event):
        return item.updated_at

    def item_pubdate(self, item: Event):
        return item.created_at

    def item_author_name(self, item: Event) -> str:
        return ", ".join(sorted(host.name for host in item.hosts.all()))

    def item_categories(self, item: Event) -> list[str]:
        return [topic.name for topic in item.topics.all()]
