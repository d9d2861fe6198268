"""No N+1 queries: every list and detail page needs as many queries with five times the data
(issue 9, item 3).

The URL names come from the resolver (``url_names``), so a new page cannot slip by:
``test_every_page_is_classified`` fails until it is in ``MATRIX`` (a list or detail page,
measured here, with the roles whose page differs), in ``COVERED_ELSEWHERE`` (an existing test
already compares its queries for growing data) or in ``OTHER`` (with the reason it is neither).

One world is built once for the module (``measurements``): a base of every kind of object, then
one "unit" of growth – new organizations with people and contacts, projects with attachments,
interests and versions, events with programs, speakers, material and registrations,
questionnaire questions and responses, cooperation proposals with members, posts and join
requests, notifications, audit entries, applications, invitations. Every page of ``MATRIX`` is
fetched by each of its roles (after a warm-up request that fills per-process caches), then four
more units are added – five times the growing data – and every page is fetched again. A page
passes when it needed no more queries the second time. It must also have grown (a larger
answer), so that the comparison is not made on a page that never showed the data; the few
whose size is fixed by design are in ``FIXED_SIZE``.

A failure names the queries that were added, with numbers and strings replaced by ``?`` – the
repeated one is the N+1. Fix it in the page's selector with ``select_related`` or
``prefetch_related``, not by raising a limit.
"""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from initiativek.accounts.services import api_token_create
from initiativek.cooperation.constants import DismissalReason, MemberRole
from initiativek.cooperation.models import CooperationMember, RecommendationDismissal
from initiativek.core.models import Notification, Topic
from initiativek.core.services import audit_log
from initiativek.events.models import CalendarFeed, ClosingStatement, ProgramMaterial
from initiativek.organizations.constants import OrganizationKind, RegionLevel
from initiativek.privacy.services import consent_sync_registration
from initiativek.projects.models import (
    InterestMessage,
    ProjectAttachment,
    ProjectInterest,
    ProjectLink,
    ProjectVersion,
)
from initiativek.surveys.constants import QuestionKind
from initiativek.surveys.models import Questionnaire
from tests.accounts.factories import UserFactory
from tests.cooperation.factories import JoinRequestFactory, PostFactory, ProposalFactory
from tests.events.factories import (
    ClosingStatementFactory,
    EventFactory,
    ProgramItemFactory,
    RegistrationFactory,
    SpeakerFactory,
)
from tests.organizations.factories import (
    ApplicationFactory,
    ContactPersonFactory,
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
    RegionFactory,
)
from tests.projects.factories import SearchableProjectFactory, TagFactory
from tests.surveys.factories import (
    AnswerFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SectionFactory,
)
from tests.url_names import named_urls

LIST, DETAIL = "list", "detail"
UNITS_SMALL, UNITS_LARGE = 1, 5
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# --- Which pages, as whom ----------------------------------------------------------------------
# Roles: "anonymous"; "member", "editor", "admin" of the organization that owns the projects,
# initiated the proposal and answers the questionnaire; "host" (editor of the organization
# hosting the events); "team" (the initiative team). A key is a URL name, or "name@variant" for
# the same page with query parameters (``PARAMS``).

MATRIX: dict[str, tuple[str, tuple[str, ...]]] = {
    # Start page and team
    "core:home": (LIST, ("anonymous", "member")),
    "core:audit-log": (LIST, ("team",)),
    # Organizations and membership
    "organizations:directory": (LIST, ("anonymous", "member")),
    "organizations:directory@filtered": (LIST, ("anonymous",)),
    "organizations:detail": (DETAIL, ("anonymous", "member", "admin", "team")),
    "organizations:edit": (DETAIL, ("admin",)),
    "organizations:people": (LIST, ("admin",)),
    "organizations:apply-start@search": (LIST, ("member",)),
    "organizations:review-list": (LIST, ("team",)),
    "organizations:review-detail": (DETAIL, ("team",)),
    # Project catalog
    "projects:catalog": (LIST, ("anonymous", "member")),
    "projects:catalog@search": (LIST, ("anonymous", "member")),
    "projects:goal": (DETAIL, ("anonymous", "member")),
    "projects:detail": (DETAIL, ("anonymous", "member", "editor", "team")),
    "projects:edit": (DETAIL, ("editor",)),
    "projects:history": (LIST, ("member",)),
    "projects:attachments": (LIST, ("editor",)),
    # Events
    "events:list": (LIST, ("anonymous", "member")),
    "events:month": (LIST, ("anonymous", "member")),
    "events:feed": (LIST, ("anonymous",)),
    "events:my-calendar": (LIST, ("member",)),
    "events:personal-feed": (LIST, ("anonymous",)),
    "events:registration": (DETAIL, ("anonymous",)),
    "events:detail": (DETAIL, ("anonymous", "member", "host")),
    "events:ics": (DETAIL, ("anonymous",)),
    "events:host": (DETAIL, ("host",)),
    "events:participants": (LIST, ("team",)),
    "events:export-csv": (LIST, ("host",)),
    "events:export-xlsx": (LIST, ("host",)),
    "events:edit": (DETAIL, ("host",)),
    "events:program": (LIST, ("host",)),
    "events:speakers": (LIST, ("host",)),
    "events:outcomes": (LIST, ("host",)),
    # Experience exchange
    "surveys:list": (LIST, ("member", "team")),  # anonymous: a text page
    "surveys:detail": (DETAIL, ("member", "team")),
    "surveys:edit": (DETAIL, ("team",)),
    "surveys:question-edit": (DETAIL, ("team",)),
    "surveys:section-edit": (DETAIL, ("team",)),
    "surveys:preview": (DETAIL, ("team",)),
    "surveys:answer": (DETAIL, ("editor",)),
    "surveys:response-history": (LIST, ("member",)),
    "surveys:results": (DETAIL, ("team",)),
    "surveys:export": (LIST, ("team",)),
    "surveys:export@xlsx": (LIST, ("team",)),
    # Cooperation exchange
    "cooperation:list": (LIST, ("member", "team")),  # anonymous: a text page
    "cooperation:detail": (DETAIL, ("member", "editor", "other", "team")),
    "cooperation:edit": (DETAIL, ("editor",)),
    "cooperation:dismissed": (LIST, ("editor",)),
    "cooperation:followup": (LIST, ("team",)),
    # Mein Bereich
    "accounts:dashboard": (LIST, ("member", "admin")),
    "accounts:profile": (DETAIL, ("member",)),
    "accounts:notifications": (LIST, ("member",)),
    "accounts:data": (LIST, ("member",)),
    "accounts:data-export": (LIST, ("member",)),
    # REST API
    "api:organization-list": (LIST, ("anonymous",)),
    "api:organization-detail": (DETAIL, ("anonymous",)),
    "api:region-list": (LIST, ("anonymous",)),
    "api:region-detail": (DETAIL, ("anonymous",)),
    "api:topic-list": (LIST, ("anonymous",)),
    "api:topic-detail": (DETAIL, ("anonymous",)),
    "api:goal-list": (LIST, ("anonymous",)),
    "api:goal-detail": (DETAIL, ("anonymous",)),
    "api:project-list": (LIST, ("anonymous", "member")),
    "api:project-detail": (DETAIL, ("anonymous", "member")),
    "api:event-list": (LIST, ("anonymous",)),
    "api:event-detail": (DETAIL, ("anonymous", "host")),
    "api:recommendation-list": (LIST, ("editor",)),
    "api:questionnaire-list": (LIST, ("member",)),
    "api:questionnaire-results": (DETAIL, ("member",)),
}

# Pages whose queries an existing test already compares for growing data: (file, test).
COVERED_ELSEWHERE = {
    "opendata:download": (
        "tests/opendata/test_exports.py",
        "test_query_count_does_not_grow_with_the_data",
    ),
    "opendata:project-feed": (
        "tests/opendata/test_feeds.py",
        "test_feed_query_count_does_not_grow_with_entries",
    ),
    "opendata:event-feed": (
        "tests/opendata/test_feeds.py",
        "test_feed_query_count_does_not_grow_with_entries",
    ),
    "surveys:progress": (
        "tests/surveys/test_progress.py",
        "test_the_overview_needs_the_same_queries_however_many_organizations",
    ),
    "cooperation:recommendations": (
        "tests/cooperation/test_recommendations_views.py",
        "test_query_count_does_not_grow_with_the_data",
    ),
}

# Neither list nor detail page, and why.
OTHER = {
    "core:initiative": "text page; the five goals are constants",
    "core:impressum": "text page",
    "core:privacy": "text page",
    "core:accessibility": "text page with the feedback form",
    "core:healthz": "one SELECT 1",
    "organizations:apply": "application form for one organization",
    "organizations:apply-new": "application form",
    "organizations:apply-start": "search form; with a query it is 'apply-start@search'",
    "organizations:application-withdraw": "POST action",
    "organizations:membership-remove": "confirmation of one membership",
    "organizations:invitation-accept": "one invitation",
    "projects:create": "empty form",
    "projects:publication": "POST action",
    "projects:attachment": "file download",
    "projects:interest": "form for one interest",
    "projects:import": "upload form",
    "projects:import-confirm": "POST action",
    "projects:import-template-csv": "fixed template file",
    "projects:import-template-xlsx": "fixed template file",
    "events:create": "empty form",
    "events:register": "POST action",
    "events:registration-confirm": "one registration",
    "events:message": "message form",
    "events:cancel": "confirmation form",
    "events:program-item": "form for one program item",
    "events:material": "file download",
    "opendata:index": "fixed list of datasets (tests/opendata/test_page.py)",
    "opendata:catalog": "fixed DCAT-AP catalog of the datasets",
    "surveys:create": "empty form",
    "surveys:publish": "confirmation form",
    "surveys:close": "confirmation form",
    "surveys:copy": "confirmation form",
    "surveys:delete": "confirmation form",
    "surveys:section-create": "empty form",
    "surveys:section-delete": "confirmation form",
    "surveys:question-create": "empty form",
    "surveys:question-delete": "confirmation form",
    "surveys:question-retire": "POST action",
    "surveys:question-move": "POST action",
    "surveys:response-reopen": "POST action",
    "surveys:remind": "confirmation form",
    "cooperation:create": "empty form",
    "cooperation:dismiss": "POST action",
    "cooperation:from-statement": "form prefilled from one statement",
    "cooperation:status": "POST action",
    "cooperation:join": "POST action",
    "cooperation:join-decide": "POST action",
    "cooperation:join-withdraw": "POST action",
    "cooperation:post-create": "POST action",
    "cooperation:leave": "POST action",
    "accounts:api-token-create": "POST action",
    "accounts:api-token-revoke": "POST action",
    "accounts:notification-settings": "form over the fixed notification kinds",
    "accounts:notification-open": "redirect to one notification's target",
    "accounts:consent-withdraw": "POST action",
    "accounts:account-delete": "confirmation form",
    "api:event-cancel": "POST action",
    "api:schema": "generated from the code, not the data",
    "api:docs": "static documentation page",
    "api:not-found": "error answer",
    "set_language": "redirect",
}
# allauth's pages: sign-in, sign-up, passwords, e-mail addresses and 2FA of one person.
ALLAUTH_PREFIXES = ("account_", "mfa_")
EXCLUDED_NAMESPACES = {"admin": "Django's admin, not pages of the platform"}

# Pages whose answer does not grow with the data by design.
FIXED_SIZE = {
    "api:goal-list": "the five goals of the initiative",
    "api:goal-detail": "one goal with its project count",
    "api:topic-list": "the topic taxonomy (a fixed list)",
    "api:topic-detail": "one topic",
    "api:region-detail": "one region",
    "events:registration": "one guest's registration",
    "organizations:review-detail": "one application",
    "surveys:section-edit": "one section's form",
    "accounts:profile": "the API keys grow, by a few bytes",
    "events:host": "counts and seats",
}

PARAMS = {
    "organizations:directory@filtered": lambda w: {"kind": "stadt", "q": "Muster"},
    "organizations:apply-start@search": lambda w: {"q": "Muster"},
    "projects:catalog@search": lambda w: {"q": "Parkplatz", "thema": w["topic"].slug, "ziel": 1},
    "events:month": lambda w: {"monat": timezone.localtime(w["event"].starts_at).strftime("%Y-%m")},
}


# --- URLs ---------------------------------------------------------------------------------------


def url_names() -> set[str]:
    """Every named URL of the platform (``namespace:name``) except Django's admin."""
    return named_urls(excluded_namespaces=EXCLUDED_NAMESPACES)


def _slug(key):
    return lambda w: {"slug": w[key].slug}


KWARGS = {
    "organizations:detail": lambda w: {"slug": w["home"].slug},
    "organizations:edit": lambda w: {"slug": w["home"].slug},
    "organizations:people": lambda w: {"slug": w["home"].slug},
    "organizations:review-detail": lambda w: {"pk": w["application"].pk},
    "projects:goal": lambda w: {"number": 1},
    "events:personal-feed": lambda w: {"token": w["feed"].token},
    "events:registration": lambda w: {"token": w["guest"].token},
    "surveys:answer": lambda w: {"slug": w["questionnaire"].slug, "org_slug": w["home"].slug},
    "surveys:response-history": lambda w: {
        "slug": w["questionnaire"].slug,
        "org_slug": w["home"].slug,
    },
    "surveys:export": lambda w: {"slug": w["questionnaire"].slug, "fmt": "csv"},
    "surveys:export@xlsx": lambda w: {"slug": w["questionnaire"].slug, "fmt": "xlsx"},
    "surveys:question-edit": lambda w: {"slug": w["questionnaire"].slug, "pk": w["choice_q"].pk},
    "surveys:section-edit": lambda w: {"slug": w["questionnaire"].slug, "pk": w["section"].pk},
    "api:organization-detail": lambda w: {"slug": w["home"].slug},
    "api:region-detail": lambda w: {"key": w["home"].region.key},
    "api:topic-detail": lambda w: {"slug": w["topic"].slug},
    "api:goal-detail": lambda w: {"id": "1"},
    "api:project-detail": _slug("project"),
    "api:event-detail": _slug("event"),
    "api:questionnaire-results": _slug("questionnaire"),
}
# Everything else with a ``slug`` takes it from the app's main object of the world.
SLUG_OWNER = {
    "projects": "project",
    "events": "event",
    "surveys": "questionnaire",
    "cooperation": "proposal",
}


def url_for(key: str, w) -> str:
    name = key.partition("@")[0]
    if key in KWARGS or name in KWARGS:
        return reverse(name, kwargs=KWARGS.get(key, KWARGS.get(name))(w))
    try:
        return reverse(name)
    except NoReverseMatch:  # the URL takes a slug: the app's main object of the world
        return reverse(name, kwargs={"slug": w[SLUG_OWNER[name.split(":")[0]]].slug})


# --- The world ----------------------------------------------------------------------------------


def _with_file(upload, name: str):
    upload.file.save(name, ContentFile(PDF), save=False)
    upload.original_name, upload.content_type, upload.size = name, "application/pdf", len(PDF)
    upload.save()
    return upload


def build_world() -> dict:
    """What every page needs to show something: one of each object, before any growth."""
    kreis = RegionFactory(key="08436", level=RegionLevel.KREIS, name="Ravensburg")
    home = OrganizationFactory(
        slug="ravensburg",
        name="Ravensburg",
        region=RegionFactory(key="08436064", name="Ravensburg", parent=kreis),
    )
    other = OrganizationFactory(slug="konstanz", name="Konstanz")
    hosting = OrganizationFactory(slug="villingen-schwenningen", name="Villingen-Schwenningen")
    users = {
        "other": MembershipFactory(organization=other, editor=True).user,
        "member": MembershipFactory(organization=home).user,
        "editor": MembershipFactory(organization=home, editor=True).user,
        "admin": MembershipFactory(organization=home, admin=True).user,
        "host": MembershipFactory(organization=hosting, editor=True).user,
        "team": UserFactory(is_staff=True),
    }
    topic = Topic.objects.order_by("position", "pk").first()
    w = {"home": home, "other": other, "hosting": hosting, "users": users, "kreis": kreis}
    w["topic"] = topic
    w["project"] = SearchableProjectFactory(
        owner=home, slug="parkplatz-app", title="Parkplatz-App", topics=[topic], goals=[1, 2]
    )
    w["event"] = EventFactory(hosts=[hosting], slug="digitaltag", title="Digitaltag")
    w["guest"] = RegistrationFactory(event=w["event"])
    w["feed"] = CalendarFeed.objects.create(user=users["member"])
    w["questionnaire"] = questionnaire = QuestionnaireFactory(slug="homeoffice")
    w["section"] = SectionFactory(questionnaire=questionnaire)
    w["choice_q"] = QuestionFactory(
        questionnaire=questionnaire, section=w["section"], kind=QuestionKind.MULTIPLE
    )
    for kind in (QuestionKind.SCALE, QuestionKind.NUMBER, QuestionKind.YES_NO, QuestionKind.TEXT):
        QuestionFactory(questionnaire=questionnaire, section=w["section"], kind=kind)
    w["own_response"] = ResponseFactory(questionnaire=questionnaire, organization=home)
    for _ in range(3):  # the results show groups of at least SURVEY_MIN_GROUP_SIZE
        _answered(questionnaire, OrganizationFactory(), users["editor"])
    w["proposal"] = ProposalFactory(slug="terminmanagement", initiator=home)
    w["application"] = ApplicationFactory()
    w["partner"] = OrganizationFactory(kind=OrganizationKind.PARTNER, name="Partner 0")
    # The audit log reads the objects of each type on its page once; exports (fetched while
    # measuring) add entries about questionnaires and people – have one of each from the start.
    audit_log(actor=users["team"], action="surveys.questionnaire.exported", obj=questionnaire)
    audit_log(actor=users["member"], action="privacy.data.exported", obj=users["member"])
    return w


def _answered(questionnaire, organization, user, response=None):
    """A submitted response with an answer to every question."""
    response = response or ResponseFactory(
        questionnaire=questionnaire, organization=organization, submitted=True
    )
    response.submitted_by = user
    response.consent_named_text = True
    response.save()
    for question in questionnaire.questions.all():
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            AnswerFactory(response=response, question=question, choices=question.choices.all())
        elif question.kind == QuestionKind.YES_NO:
            AnswerFactory(response=response, question=question, bool_value=True)
        elif question.kind == QuestionKind.TEXT:
            AnswerFactory(response=response, question=question, text_value="Läuft gut.")
        else:
            AnswerFactory(response=response, question=question, number_value=Decimal(3))
    return response


def grow(w: dict, unit: int) -> None:
    """One unit more of everything a page lists."""
    home, users = w["home"], w["users"]
    member, editor = users["member"], users["editor"]
    name = f"Musterstadt Wachstum {unit}"
    region = RegionFactory(key=f"08436{unit:03d}", name=name, parent=w["kreis"])
    town = OrganizationFactory(name=name, region=region, parent=None)
    person = MembershipFactory(organization=town, editor=True).user
    ContactPersonFactory(organization=town)
    ContactPersonFactory(organization=home)
    MembershipFactory(organization=home)
    OrganizationFactory(parent=home, kind=OrganizationKind.STADTWERKE)
    OrganizationFactory(kind=OrganizationKind.PARTNER, name=f"Partner {unit}")
    InvitationFactory(organization=home, invited_by=users["admin"])
    ApplicationFactory()
    _grow_projects(w, unit, town, person)
    _grow_events(w, unit, town, person)
    _grow_surveys(w, unit, town, person)
    _grow_cooperation(w, unit, town, person)
    # Mein Bereich
    Notification.objects.create(user=member, text=f"Neu {unit}", url="/projekte/")
    Notification.objects.create(user=member, text=f"Gelesen {unit}", read_at=timezone.now())
    api_token_create(user=member, name=f"Skript {unit}")
    for actor in (editor, person, users["team"]):
        audit_log(actor=actor, action="projects.project.changed", obj=w["project"])
    audit_log(actor=users["host"], action="events.event.changed", obj=w["event"])


def _grow_projects(w, unit, town, person):
    home, project, editor = w["home"], w["project"], w["users"]["editor"]
    topics = list(Topic.objects.order_by("position", "pk")[unit : unit + 2])
    technology = TagFactory(kind="technologie", name=f"Technik {unit}")
    vendor = TagFactory(kind="anbieter", name=f"Anbieter {unit}")
    for owner in (home, home, town):
        grown = SearchableProjectFactory(
            owner=owner,
            title=f"Parkplatz {unit} {owner.slug}",
            topics=[w["topic"], *topics],
            goals=[1, 2, 3],
        )
        grown.technologies.add(technology)
        grown.vendors.add(vendor)
        grown.partners.add(town)
        _with_file(ProjectAttachment(project=grown, title=f"Folien {unit}"), "folien.pdf")
    project.topics.add(*topics)
    project.technologies.add(technology)
    project.vendors.add(vendor)
    project.partners.add(town)
    ProjectLink.objects.create(project=project, title=f"Link {unit}", url="https://example.org/")
    _with_file(ProjectAttachment(project=project, title=f"Bericht {unit}"), f"bericht-{unit}.pdf")
    ProjectVersion.objects.create(
        project=project, actor=editor, action="changed", changed_fields=["summary"], data={}
    )
    interest = ProjectInterest.objects.create(
        project=project, organization=town, user=person, kind="kooperieren"
    )
    InterestMessage.objects.create(
        interest=interest, author=person, organization=town, text="Wir machen mit."
    )
    InterestMessage.objects.create(
        interest=interest, author=editor, organization=home, text="Gern!"
    )


def _grow_events(w, unit, town, person):
    event, hosting, member = w["event"], w["hosting"], w["users"]["member"]
    starts = event.starts_at + timedelta(hours=unit)
    grown = EventFactory(
        hosts=[hosting, town],
        title=f"Austausch {unit}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    grown.topics.add(w["topic"])
    grown.partners.add(town)
    for target in (event, grown):
        item = ProgramItemFactory(
            event=target,
            title=f"Vortrag {unit}",
            speakers=[SpeakerFactory(organization=town), SpeakerFactory(organization=hosting)],
            moderators=[SpeakerFactory(organization=None)],
        )
        item.projects.add(w["project"])
        _with_file(ProgramMaterial(item=item, title=f"Folien {unit}"), f"folien-{unit}.pdf")
    event.partners.add(town)
    event.topics.add(*Topic.objects.order_by("position", "pk")[unit : unit + 1])
    own = RegistrationFactory(
        event=grown, user=member, email=member.email, organization=w["home"], listed=True
    )
    consent_sync_registration(registration=own, created=True)
    for registration in (
        RegistrationFactory(event=event, user=person, email=person.email, organization=town),
        RegistrationFactory(event=event, organization=town, listed=True, access_needs="Rampe"),
        RegistrationFactory(event=event, online=True),
        RegistrationFactory(event=event, waitlisted=True),
    ):
        consent_sync_registration(registration=registration, created=True)
    ClosingStatementFactory(event=event, organization=town, created_by=person)
    past = timezone.now() - timedelta(weeks=10 + unit)
    closed = EventFactory(hosts=[hosting], starts_at=past, ends_at=past + timedelta(hours=2))
    statement = ClosingStatementFactory(event=closed, organization=town, created_by=person)
    ClosingStatement.objects.filter(pk=statement.pk).update(created_at=past)  # due for follow-up


def _grow_surveys(w, unit, town, person):
    questionnaire = w["questionnaire"]
    QuestionnaireFactory(title=f"Umfrage {unit}")
    kinds = [QuestionKind.SINGLE, QuestionKind.SCALE, QuestionKind.PERCENTAGE, QuestionKind.TEXT]
    question = QuestionFactory(
        questionnaire=questionnaire,
        section=SectionFactory(questionnaire=questionnaire),
        kind=kinds[unit % len(kinds)],
    )
    for response in questionnaire.responses.filter(status="submitted"):
        _answer_one(response, question)
    _answered(questionnaire, town, person)
    w["choice_q"].choices.create(label=f"Antwort {unit}", position=10 + unit)
    own = w["own_response"]
    own.changes.create(user=w["users"]["editor"], action="saved", changes=[])
    # As the response services do: the cached results are computed anew.
    Questionnaire.objects.filter(pk=questionnaire.pk).update(
        results_version=F("results_version") + 1
    )


def _answer_one(response, question):
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        AnswerFactory(response=response, question=question, choices=question.choices.all()[:1])
    elif question.kind == QuestionKind.TEXT:
        AnswerFactory(response=response, question=question, text_value="Gut.")
    else:
        AnswerFactory(response=response, question=question, number_value=Decimal(2))


def _grow_cooperation(w, unit, town, person):
    home, proposal, editor = w["home"], w["proposal"], w["users"]["editor"]
    grown = ProposalFactory(initiator=town, title=f"Kooperation {unit}", members=[home])
    grown.topics.add(w["topic"])
    grown.projects.add(w["project"])
    CooperationMember.objects.create(proposal=proposal, organization=town, role=MemberRole.MEMBER)
    proposal.topics.add(*Topic.objects.order_by("position", "pk")[unit : unit + 1])
    proposal.projects.add(w["project"])
    PostFactory(proposal=proposal, author=editor, organization=home)
    PostFactory(proposal=proposal, author=person, organization=town)
    JoinRequestFactory(proposal=proposal, organization=OrganizationFactory())
    RecommendationDismissal.objects.create(
        organization=home, other=town, reason=DismissalReason.NOT_INTERESTED, created_by=editor
    )


# --- Measuring ----------------------------------------------------------------------------------


@dataclass
class Fetch:
    status: int
    queries: list[str]
    size: int


CASES = sorted((key, role) for key, (_kind, roles) in MATRIX.items() for role in roles)


def _clients(w) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for role, user in w["users"].items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _fetch(client: Client, url: str, params: dict) -> Fetch:
    _content(client.get(url, params))  # warm-up: per-process caches, the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
        body = _content(response)
    return Fetch(response.status_code, [query["sql"] for query in captured], len(body))


def _measure_all(w, clients) -> dict[tuple[str, str], Fetch]:
    results = {}
    for key, role in CASES:
        params = PARAMS[key](w) if key in PARAMS else {}
        results[key, role] = _fetch(clients[role], url_for(key, w), params)
    return results


@pytest.fixture(scope="module")
def measurements(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every case measured with one unit of data and with five; all rolled back afterwards."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        translation.override("de"),
        transaction.atomic(),
    ):
        cache.clear()
        w = build_world()
        for unit in range(UNITS_SMALL):
            grow(w, unit)
        clients = _clients(w)
        small = _measure_all(w, clients)
        for unit in range(UNITS_SMALL, UNITS_LARGE):
            grow(w, unit)
        large = _measure_all(w, clients)
        transaction.set_rollback(True)
    cache.clear()
    return small, large


def _template(sql: str) -> str:
    sql = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", sql)
    sql = re.sub(r'"s\d+_x\d+"', "?", sql)  # savepoint names
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\(\?(, \?)*\)", "(…)", sql)


def _added_queries(small: Fetch, large: Fetch) -> str:
    added = Counter(map(_template, large.queries)) - Counter(map(_template, small.queries))
    return "\n".join(f"  +{count}× {sql[:400]}" for sql, count in added.most_common(8))


# --- Tests --------------------------------------------------------------------------------------


def test_every_page_is_classified():
    """A new URL must be measured here, be covered elsewhere or say why it is neither."""
    classified = {key.partition("@")[0] for key in MATRIX} | set(COVERED_ELSEWHERE) | set(OTHER)
    pages = {name for name in url_names() if not name.startswith(ALLAUTH_PREFIXES)}
    assert pages - classified == set(), "pages without a row in MATRIX, COVERED_ELSEWHERE or OTHER"
    assert classified - pages == set(), "rows for pages that no longer exist"
    assert set(MATRIX) & set(OTHER) == set()


def test_the_tests_named_as_covering_exist():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for name, (path, function) in COVERED_ELSEWHERE.items():
        assert f"def {function}(" in (root / path).read_text(), f"{name}: {function} is gone"


@pytest.mark.django_db  # so that pytest-django sets up the test database for ``measurements``
@pytest.mark.parametrize(("key", "role"), CASES, ids=[f"{key}-{role}" for key, role in CASES])
def test_query_count_does_not_grow_with_the_data(measurements, key, role):
    small, large = (phase[key, role] for phase in measurements)
    assert (small.status, large.status) == (200, 200), f"{key} as {role}: not shown"
    if key.partition("@")[0] not in FIXED_SIZE:
        assert large.size > small.size, f"{key} as {role} does not show the grown data"
    few, many = len(small.queries), len(large.queries)
    assert many <= few, (
        f"{key} as {role}: {few} queries with {UNITS_SMALL} unit of data, {many} with "
        f"{UNITS_LARGE}. Added:\n{_added_queries(small, large)}"
    )
