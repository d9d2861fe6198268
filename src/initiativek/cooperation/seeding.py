"""Demo data of the cooperation exchange (called by ``seed_demo``); idempotent.

The closing round of the Ravensburg event gets four statements by demo member towns; three
become proposals with the towns they name as first members, one stays without a proposal so
the team's follow-up page shows something. The statements and texts are invented but
plausible examples – marked „(Demodaten)“ where they are longer than a sentence – and name no
people.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from initiativek.core.models import Topic
from initiativek.events.models import ClosingStatement, Event
from initiativek.organizations.models import Organization, Region
from initiativek.projects.constants import Publication
from initiativek.projects.models import Project

from .constants import JoinStatus, MemberRole, ProposalStatus
from .models import CooperationMember, CooperationPost, CooperationProposal, JoinRequest

EVENT_SLUG = "ravensburg-2021"
DEMO_MARK = "(Demodaten)"

RAVENSBURG, KONSTANZ, VILLINGEN = "08436064", "08335043", "08326074"
HEIDENHEIM, WAIBLINGEN, GMUEND = "08135019", "08119079", "08136065"

# (AGS of the organization, statement)
STATEMENTS = [
    (
        RAVENSBURG,
        "Ravensburg und Konstanz wollen gemeinsam ein Online-Terminmanagement für die "
        "Bürgerbüros ausschreiben.",
    ),
    (
        VILLINGEN,
        "Villingen-Schwenningen bietet an, seine Smart-Parking-Lösung nachnutzen zu lassen.",
    ),
    (HEIDENHEIM, "Heidenheim und Waiblingen prüfen eine gemeinsame eAkte-Einführung."),
    (
        KONSTANZ,
        "Konstanz möchte seine Erfahrungen mit Daten für die Stadtentwicklung teilen und sucht "
        "Kommunen für einen gemeinsamen Open-Data-Katalog.",
    ),
]


@dataclass(frozen=True)
class DemoProposal:
    statement: int  # index in STATEMENTS; its organization initiates
    slug: str
    title: str
    summary: str
    description: str
    status: str
    members: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    wanted_kinds: tuple[str, ...] = ()
    wanted_regions: tuple[str, ...] = ()  # region keys
    projects: tuple[str, ...] = ()  # project slugs
    posts: tuple[tuple[str, str], ...] = ()  # (e-mail of a demo account of Ravensburg, text)
    join_request: tuple[str, str] | None = None  # (AGS, message)


PROPOSALS = [
    DemoProposal(
        statement=0,
        slug="gemeinsame-ausschreibung-online-terminmanagement",
        title="Gemeinsame Ausschreibung: Online-Terminmanagement für Bürgerbüros",
        summary=(
            "Ravensburg und Konstanz schreiben ein Online-Terminmanagement für ihre Bürgerbüros "
            "gemeinsam aus – weitere Städte sind willkommen."
        ),
        description=(
            "Aus der Abschlussrunde in Ravensburg: Beide Städte wollen Termine im Bürgerbüro "
            "online buchbar machen und die Ausschreibung gemeinsam vorbereiten.\n\n"
            "- gemeinsames Leistungsverzeichnis\n- Anbindung an service-bw prüfen\n"
            "- Erfahrungen mit dem Betrieb teilen\n\n" + DEMO_MARK
        ),
        status=ProposalStatus.OPEN,
        members=(KONSTANZ,),
        topics=("e-government-ozg", "chatbot-buergerservice"),
        wanted_kinds=("stadt", "grosse_kreisstadt", "stadtkreis"),
        wanted_regions=("083", "084"),  # Regierungsbezirke Freiburg and Tübingen
        posts=(
            (
                "redaktion@example.org",
                "Wir haben ein erstes Leistungsverzeichnis aus unserer Markterkundung. Sollen "
                "wir es hier teilen? " + DEMO_MARK,
            ),
            (
                "admin@example.org",
                "Aus Sicht der IT wichtig: **Schnittstelle zum Fachverfahren** und Betrieb im "
                "Rechenzentrum. " + DEMO_MARK,
            ),
        ),
        join_request=(
            GMUEND,
            "Wir planen ebenfalls eine Online-Terminvergabe und würden uns gern der "
            "Ausschreibung anschließen. " + DEMO_MARK,
        ),
    ),
    DemoProposal(
        statement=1,
        slug="nachnutzung-smart-parking-villingen-schwenningen",
        title="Smart Parking aus Villingen-Schwenningen nachnutzen",
        summary=(
            "Villingen-Schwenningen bietet seine Smart-Parking-Lösung zur Nachnutzung an und "
            "sucht Städte, die sie übernehmen wollen."
        ),
        description=(
            "Sensoren erfassen die Belegung von Parkplätzen. Wer die Lösung nachnutzen möchte, "
            "bekommt Einblick in Ausschreibung, Betrieb und Erfahrungen. " + DEMO_MARK
        ),
        status=ProposalStatus.OPEN,
        topics=("mobilitaet-parken", "smart-city-iot"),
        wanted_kinds=("stadt", "grosse_kreisstadt", "stadtwerke"),
        projects=("smart-parking",),
    ),
    DemoProposal(
        statement=2,
        slug="gemeinsame-eakte-einfuehrung-heidenheim-waiblingen",
        title="Gemeinsame eAkte-Einführung",
        summary="Heidenheim und Waiblingen prüfen, die eAkte gemeinsam einzuführen.",
        description=(
            "Heidenheim bringt Erfahrungen aus seinem eAkte/DMS-Projekt mit; gemeinsam sollen "
            "Schulungen und die Einführung in den Ämtern geplant werden. " + DEMO_MARK
        ),
        status=ProposalStatus.FORMING,
        members=(WAIBLINGEN,),
        topics=("eakte-dms",),
        projects=("eakte-dms-und-e-government-heidenheim",),
    ),
]


def _town(ags: str) -> Organization | None:
    return Organization.objects.exclude(kind="landkreis").filter(ags=ags).first()


def _statements(event: Event) -> list[ClosingStatement | None]:
    """The demo statements, recorded as made at the event (so the follow-up sees them)."""
    made_at = event.ends_at or event.starts_at
    statements = []
    for position, (ags, text) in enumerate(STATEMENTS):
        organization = _town(ags)
        if organization is None:
            statements.append(None)
            continue
        statement, created = ClosingStatement.objects.get_or_create(
            event=event, organization=organization, text=text, defaults={"position": position}
        )
        if created and made_at:
            ClosingStatement.objects.filter(pk=statement.pk).update(created_at=made_at)
        statements.append(statement)
    return statements


def _proposal(demo: DemoProposal, statement: ClosingStatement) -> tuple[CooperationProposal, bool]:
    proposal, created = CooperationProposal.objects.get_or_create(
        slug=demo.slug,
        defaults={
            "title": demo.title,
            "summary": demo.summary,
            "description": demo.description,
            "initiator": statement.organization,
            "status": demo.status,
            "wanted_kinds": list(demo.wanted_kinds),
            "source_statement": statement,
        },
    )
    if created:
        proposal.topics.set(Topic.objects.filter(slug__in=demo.topics))
        proposal.wanted_regions.set(Region.objects.filter(key__in=demo.wanted_regions))
        proposal.projects.set(
            Project.objects.filter(
                slug__in=demo.projects,
                owner=statement.organization,
                publication=Publication.PUBLISHED,
            )
        )
    return proposal, created


def _members(proposal: CooperationProposal, demo: DemoProposal) -> None:
    CooperationMember.objects.get_or_create(
        proposal=proposal,
        organization=proposal.initiator,
        defaults={"role": MemberRole.INITIATOR},
    )
    for ags in demo.members:
        organization = _town(ags)
        if organization is not None:
            CooperationMember.objects.get_or_create(
                proposal=proposal, organization=organization, defaults={"role": MemberRole.MEMBER}
            )


def _posts(proposal: CooperationProposal, demo: DemoProposal) -> None:
    users = get_user_model().objects
    for email, text in demo.posts:
        author = users.filter(email=email).first()
        if author is None:
            continue
        CooperationPost.objects.get_or_create(
            proposal=proposal,
            organization=proposal.initiator,
            text=text,
            defaults={"author": author},
        )


def _join_request(proposal: CooperationProposal, demo: DemoProposal) -> None:
    """A pending request – once: if the demo accounts decided on it, it stays decided."""
    if demo.join_request is None:
        return
    ags, message = demo.join_request
    organization = _town(ags)
    if organization is None or proposal.members.filter(organization=organization).exists():
        return
    if proposal.join_requests.filter(organization=organization).exists():
        return
    JoinRequest.objects.create(
        proposal=proposal, organization=organization, message=message, status=JoinStatus.PENDING
    )


@transaction.atomic
def seed_demo_cooperation() -> int:
    """Statements and proposals of the demo; returns how many proposals were created."""
    event = Event.objects.filter(slug=EVENT_SLUG).first()
    if event is None:
        return 0
    statements = _statements(event)
    created = 0
    for demo in PROPOSALS:
        statement = statements[demo.statement]
        if statement is None:
            continue
        proposal, was_created = _proposal(demo, statement)
        created += was_created
        _members(proposal, demo)
        _posts(proposal, demo)
        _join_request(proposal, demo)
    return created
