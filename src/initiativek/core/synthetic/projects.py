"""Stage 2: the project catalog – projects of member organizations (more for larger ones)
with topics, goals, technologies, vendors, partners and their stored search text.

The search text is what ``projects.search.search_document_for`` computes, built from the same
public ``stem_words`` but with a cache per word, since stemming every word of 100,000 projects
one by one would take minutes (``tests/synthetic`` checks both agree).
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from initiativek.core.models import Topic
from initiativek.organizations.constants import OrganizationKind, Visibility
from initiativek.projects.constants import BudgetRange, ProjectStatus, Publication, TagKind
from initiativek.projects.models import Project, ProjectGoal, Tag
from initiativek.projects.search import search_document_join, stem_words

from . import SLUG_PREFIX, texts
from .world import GenerationError, OrgInfo, Progress, World

CHUNK = 2_000
STATUS_WEIGHTS = {
    ProjectStatus.IDEA: 10,
    ProjectStatus.PLANNED: 25,
    ProjectStatus.IN_PROGRESS: 25,
    ProjectStatus.DONE: 35,
    ProjectStatus.STOPPED: 5,
}
PUBLICATION_WEIGHTS = {Publication.PUBLISHED: 85, Publication.DRAFT: 12, Publication.ARCHIVED: 3}
MEMBERS_ONLY_SHARE = 0.08
REUSE_SHARE = 0.3  # of implemented projects
PARTNER_SHARE = 0.12
OWNER_WEIGHT_OTHER = {OrganizationKind.PARTNER: 15.0}
OWNER_WEIGHT_COMPANY = 30.0
# How often the title and the summary count in the search text (as in projects.search).


class Stems:
    """Snowball stems of texts, cached per whitespace-separated token. Equal to
    ``stem_words(text)``: tokens never span whitespace, so stemming token by token gives
    the same words in the same order."""

    def __init__(self) -> None:
        self.cache: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        result: list[str] = []
        for token in text.split():
            stems = self.cache.get(token)
            if stems is None:
                stems = self.cache[token] = stem_words(token)
            result.extend(stems)
        return result

    def document(self, title, summary, description, lessons, names: list[str]) -> str:
        rest = self(description) + self(lessons)
        for name in names:
            rest += self(name)
        return search_document_join(title=self(title), summary=self(summary), rest=rest)


@dataclass
class _Context:
    topics: list[Topic]
    topic_weights: list[float]
    tags: dict[tuple[str, str], Tag]  # (kind, name) → tag
    stems: Stems


def _owner_weight(org: OrgInfo) -> float:
    if org.kind in OWNER_WEIGHT_OTHER:
        return OWNER_WEIGHT_OTHER[org.kind]
    if org.population is None:
        return OWNER_WEIGHT_COMPANY
    return org.population**0.6


def _tags(world: World) -> dict[tuple[str, str], Tag]:
    """The tags the vocabulary uses: existing ones (matched case-insensitively, as the
    project service does) and the missing ones created."""
    wanted = {
        (TagKind.TECHNOLOGY, name) for words in texts.TOPICS.values() for name in words.technologies
    }
    wanted |= {(TagKind.VENDOR, name) for words in texts.TOPICS.values() for name in words.vendors}
    wanted |= {(TagKind.TECHNOLOGY, name) for name in texts.GENERIC.technologies}
    wanted |= {(TagKind.VENDOR, name) for name in texts.GENERIC.vendors}
    existing = {(tag.kind, tag.name.casefold()): tag for tag in Tag.objects.all()}
    result, new = {}, []
    for kind, name in sorted(wanted):
        tag = existing.get((kind, name.casefold()))
        if tag is None:
            tag = Tag(kind=kind, name=name)
            new.append(tag)
        result[(kind, name)] = tag
    Tag.objects.bulk_create(new)
    world.counts["tags"] += len(new)
    return result


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _dates(rng: random.Random, today: datetime.date, status: str) -> tuple:
    start = today - datetime.timedelta(days=rng.randint(-180, 5 * 365))
    if status == ProjectStatus.IDEA and rng.random() < 0.6:
        return None, None
    end = None
    if status in (ProjectStatus.DONE, ProjectStatus.STOPPED) or rng.random() < 0.4:
        end = start + datetime.timedelta(days=rng.randint(60, 3 * 365))
    return _month(start), _month(end) if end else None


def _published_at(rng: random.Random, world: World, publication: str):
    if publication == Publication.DRAFT:
        return None
    day = world.today - datetime.timedelta(days=rng.randint(1, 3 * 365))
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(7, 18), rng.randint(0, 59)))
    return timezone.make_aware(moment, datetime.UTC)


@dataclass
class _Links:
    topics: list[Topic]
    technologies: list[Tag]
    vendors: list[Tag]
    goals: list[int]
    partners: list[int]


def _project(rng, world, ctx: _Context, owner: OrgInfo, number: int) -> tuple[Project, _Links]:
    topics = rng.choices(ctx.topics, ctx.topic_weights, k=rng.choice((1, 1, 1, 2, 2, 3)))
    topics = sorted(set(topics), key=lambda topic: (topic.position, topic.name))
    words = [texts.words_for(topic.slug) for topic in topics]
    things = [thing for word in words for thing in word.things]
    title = texts.project_title(rng, words[0], owner.town)
    status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
    publication = rng.choices(list(PUBLICATION_WEIGHTS), list(PUBLICATION_WEIGHTS.values()))[0]
    start, end = _dates(rng, world.today, status)
    done = status in (ProjectStatus.DONE, ProjectStatus.STOPPED)
    reuse = status == ProjectStatus.DONE and rng.random() < REUSE_SHARE
    slug = f"{SLUG_PREFIX}{slugify(title)[:80].strip('-')}-{number}"
    project = Project(
        title=title,
        slug=slug,
        summary=texts.summary(rng, things),
        description=texts.description(rng, things),
        owner_id=owner.pk,
        status=status,
        start_month=start,
        end_month=end,
        ozg_fields=sorted(set(rng.sample(words[0].ozg, min(len(words[0].ozg), rng.randint(0, 2))))),
        budget_range=rng.choice(BudgetRange.values),
        funding=rng.choice(texts.FUNDING) if rng.random() < 0.4 else "",
        effort=rng.choice(texts.EFFORTS) if rng.random() < 0.5 else "",
        lessons_learned=texts.lessons(rng) if done and rng.random() < 0.7 else "",
        reuse_offered=reuse,
        reuse_conditions=rng.choice(texts.REUSE_CONDITIONS) if reuse else "",
        reuse_license=rng.choice(texts.LICENSES) if reuse else "",
        reuse_repository=f"https://code.example.org/{owner.slug}/{slug}" if reuse else "",
        contact_id=world.contacts.get(owner.pk) if rng.random() < 0.6 else None,
        visibility=Visibility.MEMBERS if rng.random() < MEMBERS_ONLY_SHARE else Visibility.PUBLIC,
        publication=publication,
        published_at=_published_at(rng, world, publication),
    )
    return project, _links(rng, world, ctx, words, topics, owner)


def _links(rng, world, ctx, words, topics, owner) -> _Links:
    technologies = {name for word in words for name in word.technologies}
    vendors = {name for word in words for name in word.vendors}
    goals = sorted({goal for word in words for goal in word.goals})
    partners = []
    if rng.random() < PARTNER_SHARE and len(world.organizations) > 1:
        for _ in range(rng.randint(1, 2)):
            partner = rng.choice(world.organizations)
            if partner.pk != owner.pk and partner.pk not in partners:
                partners.append(partner.pk)
    return _Links(
        topics=topics,
        technologies=[
            ctx.tags[(TagKind.TECHNOLOGY, name)]
            for name in rng.sample(sorted(technologies), min(len(technologies), rng.randint(0, 4)))
        ],
        vendors=[
            ctx.tags[(TagKind.VENDOR, name)]
            for name in rng.sample(sorted(vendors), min(len(vendors), rng.randint(0, 2)))
        ],
        goals=rng.sample(goals, rng.randint(1, min(2, len(goals)))),
        partners=partners,
    )


def _write_chunk(ctx: _Context, world: World, chunk: list[tuple[Project, _Links]]) -> None:
    for project, links in chunk:
        tags = sorted(links.technologies, key=lambda tag: tag.name)
        tags += sorted(links.vendors, key=lambda tag: tag.name)
        names = [tag.name for tag in tags] + [topic.name for topic in links.topics]
        project.search_document = ctx.stems.document(
            project.title, project.summary, project.description, project.lessons_learned, names
        )
    Project.objects.bulk_create([project for project, _links in chunk])
    through = Project.topics.through
    through.objects.bulk_create(
        through(project_id=p.pk, topic_id=t.pk) for p, links in chunk for t in links.topics
    )
    for field, attribute in (("technologies", "technologies"), ("vendors", "vendors")):
        model = getattr(Project, field).through
        model.objects.bulk_create(
            model(project_id=p.pk, tag_id=tag.pk)
            for p, links in chunk
            for tag in getattr(links, attribute)
        )
    partner_model = Project.partners.through
    partner_model.objects.bulk_create(
        partner_model(project_id=p.pk, organization_id=pk)
        for p, links in chunk
        for pk in links.partners
    )
    ProjectGoal.objects.bulk_create(
        ProjectGoal(project_id=p.pk, goal=goal) for p, links in chunk for goal in links.goals
    )
    for project, links in chunk:
        if project.publication == Publication.PUBLISHED:
            world.projects_by_owner.setdefault(project.owner_id, []).append(project.pk)
        world.counts["topic links"] += len(links.topics)
        world.counts["tag links"] += len(links.technologies) + len(links.vendors)
        world.counts["project goals"] += len(links.goals)
        world.counts["project partners"] += len(links.partners)


def projects_generate(world: World, progress: Progress, *, total: int) -> None:
    rng = world.rng("projects")
    topics = list(Topic.objects.order_by("position", "name"))
    if not topics:
        raise GenerationError(
            _("Es gibt keine Themen – bitte zuerst „manage.py migrate“ ausführen.")
        )
    owners = world.members() or world.organizations
    if not owners and total:
        raise GenerationError(_("Ohne Organisationen können keine Projekte erzeugt werden."))
    ctx = _Context(
        topics=topics,
        topic_weights=[1 / (index + 1) ** 0.6 for index in range(len(topics))],
        tags=_tags(world),
        stems=Stems(),
    )
    weights = [_owner_weight(org) for org in owners]
    progress.start(Project._meta.verbose_name_plural, total)
    for start in range(0, total, CHUNK):
        size = min(CHUNK, total - start)
        picked = rng.choices(owners, weights, k=size)
        chunk = [_project(rng, world, ctx, owner, start + i + 1) for i, owner in enumerate(picked)]
        _write_chunk(ctx, world, chunk)
        progress.advance(size)
    world.counts["projects"] += total
    progress.finish()
