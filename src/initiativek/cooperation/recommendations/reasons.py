"""The engine's reasons as short German sentences with the projects behind them linked.

„Beide planen Projekte zum Thema eAkte/DMS: ‚eAkte 2025‘ und ‚E-Akte im Rathaus‘“ – every
project named links to its page, and only projects the viewer may see are named
(``ReasonContext.projects`` holds exactly those, see ``selectors.reason_context_load``).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from initiativek.cooperation.matching import Reason
from initiativek.projects.constants import ProjectStatus

from .loading import OBSTACLE_PREFIX

MAX_PROJECTS_NAMED = 3
GEOGRAPHY = ("distance", "same_kreis", "same_bezirk")


@dataclass(frozen=True)
class ReasonItem:
    """One line of a suggestion's "why": ``text`` is safe HTML."""

    code: str
    text: SafeString
    topics: tuple[int, ...] = ()


@dataclass
class ReasonContext:
    """What the sentences name: the viewer's organization and the suggested one, and the
    projects (only those the viewer may see), topics and tags by id."""

    organization: Any
    other: Any
    projects: dict[int, Any] = field(default_factory=dict)
    topics: dict[int, Any] = field(default_factory=dict)
    tags: dict[int, Any] = field(default_factory=dict)
    # Each project's link, made once per page: ``dataclasses.replace`` (one context per
    # suggestion) shares this dict, and a project is often named in several reasons.
    links: dict[int, SafeString] = field(default_factory=dict)


def html(template: str, **values: object) -> SafeString:
    """``template % values`` with the template and every value escaped (safe values kept)."""
    escaped = {key: conditional_escape(value) for key, value in values.items()}
    return mark_safe(conditional_escape(template) % escaped)


def german_number(value: float, places: int = 0) -> str:
    # number_format cuts digits off; round first.
    return number_format(
        round(value, places), decimal_pos=places, use_l10n=True, force_grouping=True
    )


def distance_text(km: float) -> str:
    """„3,4 km“ below 10 km, „34 km“ above."""
    places = 1 if km < 10 else 0
    return _("%(km)s km") % {"km": german_number(km, places)}


def join_words(items: Sequence[object]) -> SafeString:
    """„A“, „A und B“, „A, B und C“ – items escaped unless already safe."""
    parts = [conditional_escape(item) for item in items]
    if len(parts) <= 1:
        return mark_safe("".join(parts))
    return html(_("%(first)s und %(last)s"), first=mark_safe(", ".join(parts[:-1])), last=parts[-1])


_SLUG = "0slug0"


@lru_cache(maxsize=8)
def _project_url_template(prefix: str) -> str:
    """The address of a project page with a placeholder for the slug, per script prefix: a
    page names up to 150 projects, and resolving each address anew is a good part of its
    time."""
    return reverse("projects:detail", kwargs={"slug": _SLUG})


def _project_url(project: Any) -> str:
    return _project_url_template(get_script_prefix()).replace(_SLUG, project.slug)


def project_link(project: Any) -> SafeString:
    # The quotes belong inside the link, so a line break never leaves one behind; they are
    # part of the translation (German ‚…‘, English ‘…’).
    quoted = _("‚%(title)s‘") % {"title": conditional_escape(project.title)}
    return format_html(
        '<a class="kern-link" href="{}">{}</a>', _project_url(project), mark_safe(quoted)
    )


def _link(project: Any, context: ReasonContext) -> SafeString:
    link = context.links.get(project.pk)
    if link is None:
        link = context.links[project.pk] = project_link(project)
    return link


def project_links(ids: Iterable[int], context: ReasonContext) -> SafeString:
    """The visible projects among ``ids``, linked; „und 2 weitere“ past three."""
    projects = [context.projects[pk] for pk in ids if pk in context.projects]
    named = [_link(project, context) for project in projects[:MAX_PROJECTS_NAMED]]
    rest = len(projects) - len(named)
    if rest:
        named.append(ngettext("%(count)d weiteres", "%(count)d weitere", rest) % {"count": rest})
    return join_words(named)


def _visible(ids: Iterable[int], context: ReasonContext) -> list[Any]:
    return [context.projects[pk] for pk in ids if pk in context.projects]


def both_sides(reason: Reason, context: ReasonContext) -> SafeString:
    """„‚A‘ und ‚B‘“ for one project on each side, else with who is who named."""
    ours, theirs = _visible(reason.projects, context), _visible(reason.other_projects, context)
    if not ours and not theirs:
        return mark_safe("")
    if not ours or not theirs:
        return project_links(reason.projects or reason.other_projects, context)
    if len(ours) == 1 and len(theirs) == 1:
        return html(
            _("%(ours)s und %(theirs)s"),
            ours=_link(ours[0], context),
            theirs=_link(theirs[0], context),
        )
    return html(
        _("%(ours)s (Sie) und %(theirs)s (%(other)s)"),
        ours=project_links(reason.projects, context),
        theirs=project_links(reason.other_projects, context),
        other=context.other.name,
    )


def _with_projects(text: SafeString, projects: SafeString) -> SafeString:
    if not projects:
        return text
    return html(_("%(text)s: %(projects)s"), text=text, projects=projects)


def _topics_phrase(topic_ids: Sequence[int], context: ReasonContext) -> str:
    names = [context.topics[pk].name for pk in topic_ids if pk in context.topics]
    if not names:
        return ""
    return ngettext("zum Thema %(topics)s", "zu den Themen %(topics)s", len(names)) % {
        "topics": join_words(names)
    }


def shared_plans(reason: Reason, context: ReasonContext) -> SafeString:
    topics = _topics_phrase(reason.topics, context)
    if topics:
        text = html(_("Beide planen Projekte %(topics)s"), topics=mark_safe(topics))
    else:
        text = html(_("Beide planen Ähnliches"))
    return _with_projects(text, both_sides(reason, context))


def _all_in_progress(ids: Iterable[int], context: ReasonContext) -> bool:
    projects = _visible(ids, context)
    return bool(projects) and all(p.status == ProjectStatus.IN_PROGRESS for p in projects)


def they_implemented(reason: Reason, context: ReasonContext) -> SafeString:
    theirs = project_links(reason.other_projects, context)
    ours = project_links(reason.projects, context) or _("Ähnliches")
    values = {"other": context.other.name, "theirs": theirs, "ours": ours}
    if not theirs:
        text = html(_("%(other)s hat umgesetzt, was Sie planen: %(ours)s"), **values)
    elif _all_in_progress(reason.other_projects, context):
        text = html(_("%(other)s setzt %(theirs)s gerade um, Sie planen %(ours)s"), **values)
    else:
        text = html(_("%(other)s hat %(theirs)s umgesetzt, Sie planen %(ours)s"), **values)
    if reason.reuse:
        text = html(_("%(text)s – Nachnutzung möglich"), text=text)
    return text


def we_implemented(reason: Reason, context: ReasonContext) -> SafeString:
    ours = project_links(reason.projects, context) or _("etwas")
    theirs = project_links(reason.other_projects, context)
    values = {"other": context.other.name, "theirs": theirs, "ours": ours}
    if _all_in_progress(reason.projects, context):
        text = html(_("Sie setzen %(ours)s gerade um, das plant %(other)s"), **values)
    else:
        text = html(_("Sie haben %(ours)s umgesetzt, das plant %(other)s"), **values)
    if theirs:
        text = html(_("%(text)s (%(theirs)s)"), text=text, theirs=theirs)
    if reason.reuse:
        text = html(_("%(text)s – Sie bieten Nachnutzung an"), text=text)
    return text


def similar_text(reason: Reason, context: ReasonContext) -> SafeString:
    return _with_projects(html(_("Ähnliche Projektbeschreibungen")), both_sides(reason, context))


def shared_technology(reason: Reason, context: ReasonContext) -> SafeString:
    names = sorted(context.tags[pk].name for pk in reason.tags if pk in context.tags)
    text = html(_("Gleiche Technik oder Anbieter"))
    if names:
        text = html(_("%(text)s: %(tags)s"), text=text, tags=join_words(names))
    projects = both_sides(reason, context)
    if projects:
        text = html(_("%(text)s (%(projects)s)"), text=text, projects=projects)
    return text


def geography(reasons: Sequence[Reason]) -> SafeString:
    """Distance and region in one line: „34 km entfernt, gleicher Regierungsbezirk“."""
    by_code = {reason.code: reason for reason in reasons}
    region = ""
    if "same_kreis" in by_code:
        region = _("gleicher Kreis")
    elif "same_bezirk" in by_code:
        region = _("gleicher Regierungsbezirk")
    distance = by_code.get("distance")
    km = distance.distance_km if distance is not None else None
    if km is None:
        return html(region[:1].upper() + region[1:]) if region else mark_safe("")
    text = html(_("%(distance)s entfernt"), distance=distance_text(km))
    if region:
        text = html(_("%(text)s, %(region)s"), text=text, region=region)
    return text


def similar_size(reason: Reason, context: ReasonContext) -> SafeString:
    ours, theirs = context.organization.population, context.other.population
    if not ours or not theirs:
        return html(_("Ähnlich groß"))
    return html(
        _("Ähnlich groß (%(ours)s und %(theirs)s Einwohner)"),
        ours=german_number(ours),
        theirs=german_number(theirs),
    )


def same_kind(reason: Reason, context: ReasonContext) -> SafeString:
    return html(_("Gleiche Art: %(kind)s"), kind=context.other.get_kind_display())


def similar_survey(reason: Reason, context: ReasonContext) -> SafeString:
    names = sorted(feature.removeprefix(OBSTACLE_PREFIX) for feature in reason.features)
    if not names:
        return html(_("Ähnliche Hindernisse im Homeoffice"))
    return html(_("Ähnliche Hindernisse im Homeoffice: %(obstacles)s"), obstacles=join_words(names))


SENTENCES = {
    "shared_plans": shared_plans,
    "they_implemented": they_implemented,
    "we_implemented": we_implemented,
    "similar_text": similar_text,
    "shared_technology": shared_technology,
    "similar_size": similar_size,
    "same_kind": same_kind,
    "similar_survey": similar_survey,
}


def reason_items(reasons: Sequence[Reason], context: ReasonContext) -> list[ReasonItem]:
    """One item per reason, in the engine's order; distance and region share one line (at the
    place of the first of them). Codes this module does not know are left out."""
    items: list[ReasonItem] = []
    geographic = [reason for reason in reasons if reason.code in GEOGRAPHY]
    for reason in reasons:
        if reason.code in GEOGRAPHY:
            if reason is geographic[0]:
                text = geography(geographic)
                if text:
                    items.append(ReasonItem(code="geography", text=text))
            continue
        sentence = SENTENCES.get(reason.code)
        if sentence is not None:
            items.append(
                ReasonItem(code=reason.code, text=sentence(reason, context), topics=reason.topics)
            )
    return items
