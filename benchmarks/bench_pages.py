"""Server time of the pages people open most, on the generated database (issue 9).

In-process with Django's test client against the scratch database, DEBUG off, the cache as
configured (per-process memory unless REDIS_URL is set): per measure a few untimed requests,
then ``ctx.repetitions`` timed ones (30 by default) with varied inputs – other projects, events,
organizations, search words and facets, other members. The time is the wall time of one
request through middleware, view and template, as a worker spends it; network and the browser
are not part of it (``bench_http`` measures whole requests under load).

Measured (targets for PostgreSQL on the 2-core machine, p95):
- the catalog's first page and a search with a common word and two facets (≤ 50 ms),
- a project page, an event page, an organization page, anonymous and as a member (≤ 50 ms),
- the recommendations page of one organization as its member, index built (≤ 50 ms),
- the recommendations for all organizations: loading, building the index and
  ``recommend_all`` (total ≤ 60 s),
- the results page of the questionnaire with the most responses (11,000 at full size), as
  served – the aggregate cached, the target applies (≤ 100 ms) – and right after a change,
  when the aggregate is computed again.
"""

import random
import time
from collections.abc import Callable

from benchmarks.common import Context, Result, echo, timed

PAGE_TARGET_MS = 50
RESULTS_TARGET_MS = 100
BATCH_TARGET_S = 60
SEED = 9

# Words of the synthetic texts in 5 to 40 % of the 100,000 projects (Verwaltung, Klimaschutz and
# Bürgerbüro about 37 %, Einführung 23 %, Rathaus 17 %, Homeoffice 16 %, Pilotprojekt 10 %, the
# others 5 to 8 %).
COMMON_WORDS = (
    "Verwaltung",
    "Klimaschutz",
    "Bürgerbüro",
    "Einführung",
    "Rathaus",
    "Homeoffice",
    "Pilotprojekt",
    "Akte",
    "Chatbot",
    "Schule",
    "Sensoren",
    "Portal",
)
# Words of the generator's stock phrases, in 40 to 60 % of the projects: nearly stop words.
VERY_COMMON_WORDS = ("digital", "Mitarbeitende", "online", "Kosten", "Bürger", "Antrag")


class Pages:
    """Clients, sampled objects and a request function that records failures."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.random = random.Random(SEED)  # noqa: S311 – sampling, not secrets
        self.failures: dict[str, list[str]] = {}
        self.anonymous = _client()
        self.member_user = _member_users(1)[0]
        self.member = _client_for(self.member_user)

    @property
    def count(self) -> int:
        return self.ctx.repetitions + self.ctx.warmup

    def get(self, client, url: str, measure: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            self.failures.setdefault(measure, []).append(f"{response.status_code} {url}")

    def measure(
        self,
        name: str,
        calls: list[Callable[[], None]],
        *,
        target: float | None = PAGE_TARGET_MS,
        note: str = "",
        queries: Callable[[], None] | None = None,
    ) -> Result:
        """Time ``calls`` (the first ``warmup`` untimed); the query count of one more call."""
        echo(f"  {name} …")
        samples = timed(lambda call: call(), calls, warmup=self.ctx.warmup)
        samples = samples[self.ctx.warmup :] if len(samples) > self.ctx.repetitions else samples
        notes = [note] if note else []
        if queries is not None:
            notes.append(f"{_query_count(queries)} Abfragen")
        failed = self.failures.get(name, [])
        if failed:
            notes.append(f"{len(failed)} Fehler, z. B. {failed[0]}")
        return Result(name, unit="ms", values=samples, target=target, note="; ".join(notes))


_handler = []


def _client():
    """A test client sharing one request handler with all others: a new handler loads the
    middleware on its first request (WhiteNoise alone scans every static file, about 10 ms),
    which a running server does once per process, not per visitor."""
    from django.test import Client

    client = Client()
    if _handler:
        client.handler = _handler[0]
    else:
        _handler.append(client.handler)
    return client


def _client_for(user):
    client = _client()
    client.force_login(user)
    return client


def _member_users(count: int, *, seed: int = SEED) -> list:
    """Users of member organizations (not partner companies), one per organization."""
    from django.contrib.auth import get_user_model

    from initiativek.organizations.constants import OrganizationKind
    from initiativek.organizations.models import Membership

    first_member: dict[int, int] = {}
    rows = (
        Membership.objects.filter(organization__is_member=True, user__is_staff=False)
        .exclude(organization__kind=OrganizationKind.PARTNER)
        .order_by("pk")
        .values_list("organization_id", "user_id")
    )
    for organization, user in rows:
        first_member.setdefault(organization, user)
    candidates = sorted(first_member.values())
    rng = random.Random(seed)  # noqa: S311 – sampling, not secrets
    chosen = rng.sample(candidates, min(count, len(candidates)))
    users = get_user_model().objects.in_bulk(chosen)
    return [users[pk] for pk in chosen]


def _query_count(call: Callable[[], None]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def _sample(queryset, count: int, rng: random.Random) -> list:
    ids = list(queryset.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(count, len(ids)))
    objects = queryset.model.objects.in_bulk(chosen)
    return [objects[pk] for pk in chosen]


# The measures


def catalog(pages: Pages) -> list[Result]:
    from initiativek.core.models import Topic
    from initiativek.projects.constants import ProjectStatus
    from initiativek.projects.selectors import catalog_changed

    first = "/projekte/"
    topics = list(Topic.objects.values_list("slug", flat=True))

    def searches_of(words: tuple[str, ...]) -> list[str]:
        """Every combination at most once: nothing of it is cached when it is measured."""
        combinations = [
            (word, topic, status)
            for word in words
            for topic in topics
            for status in ProjectStatus.values
        ]
        chosen = pages.random.sample(combinations, min(pages.count, len(combinations)))
        return [f"/projekte/?q={w}&thema={t}&stand={s}" for w, t, s in chosen]

    searches = searches_of(COMMON_WORDS)
    very_common = searches_of(VERY_COMMON_WORDS)
    anonymous, member = pages.anonymous, pages.member

    def changed_then(client, url: str, name: str) -> None:
        catalog_changed()  # what saving any project does: the cached counts no longer apply
        pages.get(client, url, name)

    search_name = "Katalogsuche: Wort + Thema + Stand (anonym, erstmals)"
    very_name = "Katalogsuche mit einem Wort aus jedem zweiten Projekt (anonym, erstmals)"
    again_name = "Katalogsuche: dieselbe Suche erneut, z. B. Seite 2 (anonym)"
    fresh_name = "Katalog, erste Seite nach einer Änderung (anonym)"
    words = ", ".join(COMMON_WORDS)
    return [
        pages.measure(
            "Katalog, erste Seite (anonym)",
            [lambda: pages.get(anonymous, first, "Katalog, erste Seite (anonym)")] * pages.count,
            note="ohne Sitzung: die fertige Seite aus dem Cache bis zur nächsten Änderung "
            "(core/pagecache.py)",
            queries=lambda: pages.get(anonymous, first, ""),
        ),
        pages.measure(
            "Katalog, erste Seite (Mitglied)",
            [lambda: pages.get(member, first, "Katalog, erste Seite (Mitglied)")] * pages.count,
            note="Zählungen und die ersten 200 Treffer im Cache bis zur nächsten Änderung, "
            "die Seite selbst neu",
            queries=lambda: pages.get(member, first, ""),
        ),
        pages.measure(
            fresh_name,
            [lambda: changed_then(anonymous, first, fresh_name)] * pages.count,
            target=None,
            note="Cache-Version vor jeder Anfrage erneuert: Seite und Zählungen neu berechnet",
        ),
        pages.measure(
            search_name,
            [(lambda url=url: pages.get(anonymous, url, search_name)) for url in searches],
            note=f"jede Kombination nur einmal; Wörter in 5–40 % der Projekte: {words}; "
            "Thema und Stand zufällig; Zählungen, Summe und die ersten 200 Treffer in einer "
            "Abfrage",
            # Counted for a search not made yet (another order: neither its counts nor its page
            # are cached), without renewing the version, which would empty the caches the
            # measures below rely on.
            queries=lambda: pages.get(anonymous, f"{searches[0]}&sortierung=titel", ""),
        ),
        pages.measure(
            very_name,
            [(lambda url=url: pages.get(anonymous, url, very_name)) for url in very_common],
            target=None,
            note="Wörter in 40–60 % der Projekte: " + ", ".join(VERY_COMMON_WORDS),
        ),
        pages.measure(
            again_name,
            [
                (lambda url=url: pages.get(anonymous, f"{url}&seite=2", again_name))
                for url in searches
            ],
            note="dieselben Suchen, zweite Seite: Zählungen und Treffer aus dem Cache, die 20 "
            "Projekte der Seite über ihren Primärschlüssel",
        ),
    ]


def detail_pages(pages: Pages) -> list[Result]:
    from django.contrib.auth.models import AnonymousUser

    from initiativek.events.selectors import event_list_visible_to
    from initiativek.projects.selectors import project_list_for_catalog

    projects = _sample(
        project_list_for_catalog(user=AnonymousUser()).order_by(), pages.count, pages.random
    )
    events = _sample(
        event_list_visible_to(user=AnonymousUser()).order_by(), pages.count, pages.random
    )
    organizations = _organizations(pages)
    results = []
    for label, objects in (
        ("Projektseite", projects),
        ("Veranstaltungsseite", events),
        ("Organisationsseite", organizations),
    ):
        urls = [item.get_absolute_url() for item in objects]
        for who, client in (("anonym", pages.anonymous), ("Mitglied", pages.member)):
            name = f"{label} ({who})"
            results.append(
                pages.measure(
                    name,
                    [(lambda url=url, c=client, n=name: pages.get(c, url, n)) for url in urls],
                    note=f"{len(set(urls))} verschiedene",
                    queries=lambda c=client, u=urls[0]: pages.get(c, u, ""),
                )
            )
    return results


def _organizations(pages: Pages) -> list:
    """Random organizations and, among them, the five with the most projects."""
    from django.db.models import Count

    from initiativek.organizations.models import Organization

    largest = list(
        Organization.objects.annotate(n=Count("projects"))
        .order_by("-n")
        .values_list("pk", flat=True)[:5]
    )
    chosen = _sample(Organization.objects.exclude(pk__in=largest), pages.count - 5, pages.random)
    mixed = chosen + list(Organization.objects.filter(pk__in=largest))
    pages.random.shuffle(mixed)
    return mixed


def recommendations(pages: Pages) -> list[Result]:
    from initiativek.cooperation.recommendations.index import match_index_clear, match_index_get

    members = _member_users(pages.count, seed=SEED + 1)
    clients = [(_client_for(user), user) for user in members]
    url = "/kooperation/empfehlungen/"
    name = "Empfehlungen für eine Organisation (Mitglied)"
    echo("  Index der Empfehlungen aufbauen (erste Anfrage) …")
    started = time.perf_counter()
    pages.get(clients[0][0], url, "Index aufbauen")
    first = time.perf_counter() - started
    results = [
        pages.measure(
            name,
            [(lambda c=client: pages.get(c, url, name)) for client, _user in clients],
            note=f"Index fertig; {len(clients)} Mitglieder verschiedener Organisationen; "
            f"erste Anfrage mit Aufbau {first:.1f} s",
            queries=lambda: pages.get(clients[0][0], url, ""),
        )
    ]
    echo("  Empfehlungen für alle Organisationen …")
    match_index_clear()
    started = time.perf_counter()
    loaded = match_index_get()
    built = time.perf_counter() - started
    started = time.perf_counter()
    everything = loaded.index.recommend_all(limit=10)
    batch = time.perf_counter() - started
    results.append(
        Result(
            "Empfehlungen für alle Organisationen (Laden + Index + recommend_all)",
            unit="s",
            total=built + batch,
            target=BATCH_TARGET_S,
            note=f"Laden und Index {built:.1f} s, recommend_all {batch:.1f} s; "
            f"{len(everything):,} Organisationen, je bis zu 10 Vorschläge",
        )
    )
    return results


def survey_results(pages: Pages) -> list[Result]:
    from django.db.models import Count, F

    from initiativek.surveys.models import Questionnaire

    questionnaire = (
        Questionnaire.objects.annotate(n=Count("responses"))
        .order_by("-n")
        .only("pk", "slug")
        .first()
    )
    if questionnaire is None:
        return [Result("Ergebnisseite Fragebogen", note="kein Fragebogen")]
    responses = questionnaire.responses.filter(submitted_at__isnull=False).count()
    url = f"/erfahrungsaustausch/{questionnaire.slug}/ergebnisse/"
    members = [_client_for(user) for user in _member_users(pages.count, seed=SEED + 2)]
    cached_name = "Ergebnisseite Fragebogen (wie ausgeliefert, Aggregat im Cache)"
    fresh_name = "Ergebnisseite Fragebogen (nach einer Änderung, ohne Cache)"

    def changed() -> None:
        # What a new or changed response does: the results version moves on, so the cached
        # aggregate of the old version is no longer used.
        Questionnaire.objects.filter(pk=questionnaire.pk).update(
            results_version=F("results_version") + 1
        )

    def fresh(client) -> None:
        changed()
        pages.get(client, url, fresh_name)

    note = f"{responses:,} abgeschickte Antworten; {len(members)} Mitglieder"
    cached = pages.measure(
        cached_name,
        [(lambda c=client: pages.get(c, url, cached_name)) for client in members],
        target=RESULTS_TARGET_MS,
        note=note + "; Ziel gilt hier",
        queries=lambda: pages.get(members[0], url, ""),
    )
    uncached = pages.measure(
        fresh_name,
        [(lambda c=client: fresh(c)) for client in members],
        target=None,
        note=note + "; eine Aktualisierung der Version je Anfrage mitgemessen",
    )
    return [cached, uncached]


def run(ctx: Context) -> list[Result]:
    pages = Pages(ctx)
    results = []
    for part in (catalog, detail_pages, recommendations, survey_results):
        results += part(pages)
    return results
