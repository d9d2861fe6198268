"""One permission matrix over every URL of the platform and every role (SPEC §2, issue 8).

The URLs come from the resolver, not from a hand list: a new URL without a row in ``MATRIX``
fails ``test_every_url_is_classified`` (and its own matrix test names the statuses it saw, as a
starting point – check each against SPEC §2 before writing it down).

Roles, all relative to one fixture world:

- ``anonymous``: not signed in.
- ``other``: editor of another member organization (Konstanz) – so an editor's rights over
  *their own* organization never leak to another's objects.
- ``member``, ``editor``, ``admin``: of the organization that owns the projects, initiated the
  cooperation proposal, answers the questionnaire and made the closing statement (Ravensburg).
  The member also owns the notification, the API key, the calendar feed and the registration.
- ``host``: editor of the organization hosting the events (Villingen-Schwenningen).
- ``team``: the initiative team (``is_staff``).

A row's key is the URL name (``namespace:name``; allauth's names have no namespace), or
``name@variant`` for the same URL on another object of the world: ``@draft`` (draft project,
event or questionnaire) and ``@members`` (members-only project). Expected results: a status
code, ``LOGIN`` (302 to the sign-in page, with ``next`` back) or ``MOVED`` (302 to another page
of this platform). Along the way every answer is also checked for: no server error, redirects
only to this platform, a guest's e-mail address only where SPEC §2 allows it, and no HTML the
strict CSP would block. A POST without fields must not cause a server error either.

Left out, with the reason in ``EXCLUDED_NAMESPACES``: Django's admin (its own permission system;
only the entrance is tested here) and the REST API (tests/api has its own matrix with tokens).
Files have no URL patterns: static files are served by WhiteNoise outside the resolver, uploads
only through the permission-checking views, which are in the matrix.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from initiativek.accounts.services import api_token_create
from initiativek.core.models import Notification
from initiativek.events.models import CalendarFeed, ProgramMaterial
from initiativek.projects.models import ProjectAttachment
from tests.accounts.factories import UserFactory
from tests.cooperation.factories import JoinRequestFactory, ProposalFactory
from tests.events.factories import (
    ClosingStatementFactory,
    EventFactory,
    ProgramItemFactory,
    RegistrationFactory,
)
from tests.organizations.factories import (
    ApplicationFactory,
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
)
from tests.projects.factories import ProjectFactory
from tests.security.csp import inline_code
from tests.surveys.factories import QuestionFactory, QuestionnaireFactory, ResponseFactory
from tests.url_names import named_urls

ROLES = ("anonymous", "other", "member", "editor", "admin", "host", "team")
LOGIN = "login"
MOVED = "moved"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# Namespaces and names not visited here, and why.
EXCLUDED_NAMESPACES = {
    "admin": "Django's admin: its own staff/superuser checks; see test_admin_entrance.",
    "api": "The REST API: tests/api/test_permissions.py covers it with tokens and sessions.",
}


def url_names() -> set[str]:
    """Every named URL of the platform, ``namespace:name`` (allauth's are not namespaced)."""
    return named_urls(excluded_namespaces=EXCLUDED_NAMESPACES)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


@pytest.fixture
def world(db):
    home = OrganizationFactory(slug="ravensburg", name="Ravensburg")
    other = OrganizationFactory(slug="konstanz", name="Konstanz")
    hosting = OrganizationFactory(slug="villingen-schwenningen", name="Villingen-Schwenningen")
    third = OrganizationFactory(slug="herrenberg", name="Herrenberg")
    users = {
        "other": MembershipFactory(organization=other, editor=True).user,
        "member": MembershipFactory(organization=home).user,
        "editor": MembershipFactory(organization=home, editor=True).user,
        "admin": MembershipFactory(organization=home, admin=True).user,
        "host": MembershipFactory(organization=hosting, editor=True).user,
        "team": UserFactory(is_staff=True),
    }
    member = users["member"]
    w = {"home": home, "users": users}
    # Projects: published, draft, members-only; a file on the published and the draft one.
    w["project"] = ProjectFactory(owner=home, slug="buergerportal")
    w["project@draft"] = ProjectFactory(owner=home, slug="entwurf", draft=True)
    w["project@members"] = ProjectFactory(owner=home, slug="intern", members_only=True)
    for key in ("project", "project@draft"):
        attachment = ProjectAttachment(project=w[key], title="Folien")
        attachment.file.save("folien.pdf", ContentFile(PDF), save=False)
        attachment.original_name, attachment.content_type = "folien.pdf", "application/pdf"
        attachment.size = len(PDF)
        attachment.save()
        w[key.replace("project", "attachment")] = attachment
    # Events of the hosting organization: published and draft, with program and material.
    w["event"] = EventFactory(hosts=[hosting], slug="digitaltag")
    w["event@draft"] = EventFactory(hosts=[hosting], slug="planung", draft=True)
    for key in ("event", "event@draft"):
        item = ProgramItemFactory(event=w[key])
        material = ProgramMaterial(item=item, title="Folien")
        material.file.save("folien.pdf", ContentFile(PDF), save=False)
        material.original_name, material.content_type = "folien.pdf", "application/pdf"
        material.size = len(PDF)
        material.save()
        w[key.replace("event", "item")], w[key.replace("event", "material")] = item, material
    w["registration"] = RegistrationFactory(event=w["event"], user=member, email=member.email)
    w["guest"] = RegistrationFactory(event=w["event"], pending=True)
    w["feed"] = CalendarFeed.objects.create(user=member)
    past = timezone.now() - timedelta(weeks=10)
    closed = EventFactory(hosts=[hosting], starts_at=past, ends_at=past + timedelta(hours=2))
    w["statement"] = ClosingStatementFactory(event=closed, organization=home)
    # Experience exchange: a published questionnaire Ravensburg answers, and a draft.
    w["questionnaire"] = QuestionnaireFactory(slug="homeoffice")
    w["question"] = QuestionFactory(questionnaire=w["questionnaire"], kind="text")
    ResponseFactory(questionnaire=w["questionnaire"], organization=home)
    w["questionnaire@draft"] = QuestionnaireFactory(slug="neue-umfrage", draft=True)
    # Cooperation: Ravensburg's proposal with a join request of Herrenberg.
    w["proposal"] = ProposalFactory(slug="terminmanagement", initiator=home)
    w["join"] = JoinRequestFactory(proposal=w["proposal"], organization=third)
    # Membership: an application of a newcomer, an invitation to Ravensburg.
    w["application"] = ApplicationFactory(organization=third)
    w["invitation"] = InvitationFactory(organization=home, invited_by=users["admin"])
    w["membership"] = member.memberships.get()
    # The member's own things.
    w["notification"] = Notification.objects.create(user=member, text="Neu", url="/projekte/")
    w["token"], _raw = api_token_create(user=member, name="Skript")
    return w


# URL name (or name@variant) → the path parameters from the world.
KWARGS = {
    "organizations:detail": lambda w: {"slug": w["home"].slug},
    "organizations:edit": lambda w: {"slug": w["home"].slug},
    "organizations:people": lambda w: {"slug": w["home"].slug},
    "organizations:apply": lambda w: {"slug": w["home"].slug},
    "organizations:membership-remove": lambda w: {
        "slug": w["home"].slug,
        "pk": w["membership"].pk,
    },
    "organizations:application-withdraw": lambda w: {"pk": w["application"].pk},
    "organizations:invitation-accept": lambda w: {"token": w["invitation"].token},
    "organizations:review-detail": lambda w: {"pk": w["application"].pk},
    "projects:goal": lambda w: {"number": 1},
    "projects:attachment": lambda w: {"slug": w["project"].slug, "pk": w["attachment"].pk},
    "projects:attachment@draft": lambda w: {
        "slug": w["project@draft"].slug,
        "pk": w["attachment@draft"].pk,
    },
    "events:personal-feed": lambda w: {"token": w["feed"].token},
    "events:registration": lambda w: {"token": w["registration"].token},
    "events:registration-confirm": lambda w: {"token": w["guest"].token},
    "events:program-item": lambda w: {"slug": w["event"].slug, "pk": w["item"].pk},
    "events:program-item@draft": lambda w: {
        "slug": w["event@draft"].slug,
        "pk": w["item@draft"].pk,
    },
    "events:material": lambda w: {"slug": w["event"].slug, "pk": w["material"].pk},
    "events:material@draft": lambda w: {
        "slug": w["event@draft"].slug,
        "pk": w["material@draft"].pk,
    },
    "opendata:download": lambda w: {"dataset": "projekte", "fmt": "csv"},
    "surveys:answer": lambda w: {"slug": "homeoffice", "org_slug": w["home"].slug},
    "surveys:answer@draft": lambda w: {"slug": "neue-umfrage", "org_slug": w["home"].slug},
    "surveys:response-history": lambda w: {"slug": "homeoffice", "org_slug": w["home"].slug},
    "surveys:response-reopen": lambda w: {"slug": "homeoffice", "org_slug": w["home"].slug},
    "surveys:export": lambda w: {"slug": "homeoffice", "fmt": "csv"},
    "surveys:section-edit": lambda w: {"slug": "homeoffice", "pk": w["question"].section_id},
    "surveys:section-delete": lambda w: {"slug": "homeoffice", "pk": w["question"].section_id},
    "surveys:question-edit": lambda w: {"slug": "homeoffice", "pk": w["question"].pk},
    "surveys:question-delete": lambda w: {"slug": "homeoffice", "pk": w["question"].pk},
    "surveys:question-retire": lambda w: {"slug": "homeoffice", "pk": w["question"].pk},
    "surveys:question-move": lambda w: {"slug": "homeoffice", "pk": w["question"].pk},
    "cooperation:from-statement": lambda w: {"pk": w["statement"].pk},
    "cooperation:join-decide": lambda w: {"slug": w["proposal"].slug, "pk": w["join"].pk},
    "cooperation:join-withdraw": lambda w: {"slug": w["proposal"].slug, "pk": w["join"].pk},
    "accounts:api-token-revoke": lambda w: {"pk": w["token"].pk},
    "accounts:consent-withdraw": lambda w: {"pk": 999_999},  # POST only; GET is refused
    "accounts:notification-open": lambda w: {"pk": w["notification"].pk},
    "account_confirm_email": lambda w: {"key": "kein-gueltiger-schluessel"},
    "account_reset_password_from_key": lambda w: {"uidb36": "1", "key": "kein-schluessel"},
}
# Everything else with a ``slug`` takes it from the app's main object of the world.
SLUG_OWNER = {
    "projects": "project",
    "events": "event",
    "surveys": "questionnaire",
    "cooperation": "proposal",
}


def url_for(key: str, w) -> str:
    name, _, variant = key.partition("@")
    if key in KWARGS:
        return reverse(name, kwargs=KWARGS[key](w))
    namespace = name.split(":")[0]
    try:
        return reverse(name)
    except NoReverseMatch:  # the URL takes a slug: the app's main object of the world
        owner = SLUG_OWNER.get(namespace)
        if owner is None:
            raise
        obj = w[f"{owner}@{variant}" if variant else owner]
        return reverse(name, kwargs={"slug": obj.slug})


def client_as(role: str, w) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(w["users"][role])
    return client


def observed(response) -> int | str:
    """The status; for a redirect whether it asks to sign in (and come back) or goes on."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")) and "next=" in location:
            return LOGIN
        return MOVED
    return response.status_code


MATRIX: dict[str, tuple] = {
    # role:     anonymous, other, member, editor, admin, host, team
    # Public pages
    "core:accessibility": (200, 200, 200, 200, 200, 200, 200),
    "core:audit-log": (LOGIN, 403, 403, 403, 403, 403, 200),
    "core:healthz": (200, 200, 200, 200, 200, 200, 200),
    "core:home": (200, 200, 200, 200, 200, 200, 200),
    "core:impressum": (200, 200, 200, 200, 200, 200, 200),
    "core:initiative": (200, 200, 200, 200, 200, 200, 200),
    "core:privacy": (200, 200, 200, 200, 200, 200, 200),
    # Organizations and membership
    "organizations:application-withdraw": (LOGIN, 405, 405, 405, 405, 405, 405),
    "organizations:apply": (LOGIN, 200, 200, 200, 200, 200, 200),
    "organizations:apply-new": (LOGIN, 200, 200, 200, 200, 200, 200),
    "organizations:apply-start": (LOGIN, 200, 200, 200, 200, 200, 200),
    "organizations:detail": (200, 200, 200, 200, 200, 200, 200),
    "organizations:directory": (200, 200, 200, 200, 200, 200, 200),
    "organizations:edit": (LOGIN, 403, 403, 200, 200, 403, 200),
    "organizations:invitation-accept": (200, 200, 200, 200, 200, 200, 200),
    "organizations:membership-remove": (LOGIN, 403, 200, 403, 200, 403, 200),
    "organizations:people": (LOGIN, 403, 403, 403, 200, 403, 200),
    "organizations:review-detail": (LOGIN, 404, 404, 404, 404, 404, 200),
    "organizations:review-list": (LOGIN, 404, 404, 404, 404, 404, 200),
    # Project catalog
    "projects:attachment": (200, 200, 200, 200, 200, 200, 200),
    "projects:attachment@draft": (404, 404, 200, 200, 200, 404, 200),
    "projects:attachments": (LOGIN, 403, 403, 200, 200, 403, 200),
    "projects:attachments@draft": (LOGIN, 404, 403, 200, 200, 404, 200),
    "projects:catalog": (200, 200, 200, 200, 200, 200, 200),
    "projects:create": (LOGIN, 200, 403, 200, 200, 200, 200),
    "projects:detail": (200, 200, 200, 200, 200, 200, 200),
    "projects:detail@draft": (404, 404, 200, 200, 200, 404, 200),
    "projects:detail@members": (404, 200, 200, 200, 200, 200, 200),
    "projects:edit": (LOGIN, 403, 403, 200, 200, 403, 200),
    "projects:edit@draft": (LOGIN, 404, 403, 200, 200, 404, 200),
    "projects:goal": (200, 200, 200, 200, 200, 200, 200),
    "projects:history": (LOGIN, 403, 200, 200, 200, 403, 200),
    "projects:history@draft": (LOGIN, 404, 200, 200, 200, 404, 200),
    "projects:import": (LOGIN, 200, 403, 200, 200, 200, 200),
    "projects:import-confirm": (LOGIN, 405, 405, 405, 405, 405, 405),
    "projects:import-template-csv": (200, 200, 200, 200, 200, 200, 200),
    "projects:import-template-xlsx": (200, 200, 200, 200, 200, 200, 200),
    "projects:interest": (LOGIN, 200, 403, 200, 200, 200, 200),
    "projects:interest@draft": (LOGIN, 404, 403, 200, 200, 404, 200),
    "projects:interest@members": (LOGIN, 200, 403, 200, 200, 200, 200),
    "projects:publication": (LOGIN, 405, 405, 405, 405, 405, 405),
    # Events
    "events:cancel": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:cancel@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    "events:create": (LOGIN, 200, 403, 200, 200, 200, 200),
    "events:detail": (200, 200, 200, 200, 200, 200, 200),
    "events:detail@draft": (404, 404, 404, 404, 404, 200, 200),
    "events:edit": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:edit@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    "events:export-csv": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:export-csv@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    "events:export-xlsx": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:export-xlsx@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    "events:feed": (200, 200, 200, 200, 200, 200, 200),
    "events:host": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:host@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    "events:ics": (200, 200, 200, 200, 200, 200, 200),
    "events:ics@draft": (404, 404, 404, 404, 404, 200, 200),
    "events:list": (200, 200, 200, 200, 200, 200, 200),
    "events:material": (200, 200, 200, 200, 200, 200, 200),
    "events:material@draft": (404, 404, 404, 404, 404, 200, 200),
    "events:message": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:message@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    "events:month": (200, 200, 200, 200, 200, 200, 200),
    "events:my-calendar": (LOGIN, 200, 200, 200, 200, 200, 200),
    "events:outcomes": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:outcomes@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    "events:participants": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:participants@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    "events:personal-feed": (200, 200, 200, 200, 200, 200, 200),
    "events:program": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:program-item": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:program-item@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    "events:program@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    "events:register": (405, 405, 405, 405, 405, 405, 405),
    "events:registration": (200, 200, 200, 200, 200, 200, 200),
    "events:registration-confirm": (200, 200, 200, 200, 200, 200, 200),
    "events:speakers": (LOGIN, 403, 403, 403, 403, 200, 200),
    "events:speakers@draft": (LOGIN, 404, 404, 404, 404, 200, 200),
    # Open data
    "opendata:catalog": (200, 200, 200, 200, 200, 200, 200),
    "opendata:download": (200, 200, 200, 200, 200, 200, 200),
    "opendata:event-feed": (200, 200, 200, 200, 200, 200, 200),
    "opendata:index": (200, 200, 200, 200, 200, 200, 200),
    "opendata:project-feed": (200, 200, 200, 200, 200, 200, 200),
    # Experience exchange
    "surveys:answer": (LOGIN, 403, 200, 200, 200, 403, 200),
    "surveys:answer@draft": (LOGIN, 404, 404, 404, 404, 404, 403),
    "surveys:close": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:copy": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:create": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:delete": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:detail": (LOGIN, 200, 200, 200, 200, 200, 200),
    "surveys:detail@draft": (LOGIN, 404, 404, 404, 404, 404, 200),
    "surveys:edit": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:edit@draft": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:export": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:list": (200, 200, 200, 200, 200, 200, 200),
    "surveys:preview": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:preview@draft": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:progress": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:progress@draft": (LOGIN, 404, 404, 404, 404, 404, 200),
    "surveys:publish": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:question-create": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:question-delete": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:question-edit": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:question-move": (LOGIN, 405, 405, 405, 405, 405, 405),
    "surveys:question-retire": (LOGIN, 405, 405, 405, 405, 405, 405),
    "surveys:remind": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:response-history": (LOGIN, 404, 200, 200, 200, 404, 200),
    "surveys:response-reopen": (LOGIN, 405, 405, 405, 405, 405, 405),
    "surveys:results": (LOGIN, 200, 200, 200, 200, 200, 200),
    "surveys:results@draft": (LOGIN, 404, 404, 404, 404, 404, 200),
    "surveys:section-create": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:section-delete": (LOGIN, 403, 403, 403, 403, 403, 200),
    "surveys:section-edit": (LOGIN, 403, 403, 403, 403, 403, 200),
    # Cooperation exchange
    "cooperation:create": (LOGIN, 200, 403, 200, 200, 200, 200),
    "cooperation:detail": (LOGIN, 200, 200, 200, 200, 200, 200),
    "cooperation:dismiss": (405, 405, 405, 405, 405, 405, 405),
    "cooperation:dismissed": (LOGIN, 200, 200, 200, 200, 200, 200),
    "cooperation:edit": (LOGIN, 403, 403, 200, 200, 403, 200),
    "cooperation:followup": (LOGIN, 403, 403, 403, 403, 403, 200),
    "cooperation:from-statement": (LOGIN, 403, 403, 200, 200, 200, 200),
    "cooperation:join": (LOGIN, 405, 405, 405, 405, 405, 405),
    "cooperation:join-decide": (LOGIN, 405, 405, 405, 405, 405, 405),
    "cooperation:join-withdraw": (LOGIN, 405, 405, 405, 405, 405, 405),
    "cooperation:leave": (LOGIN, 405, 405, 405, 405, 405, 405),
    "cooperation:list": (200, 200, 200, 200, 200, 200, 200),
    "cooperation:post-create": (LOGIN, 405, 405, 405, 405, 405, 405),
    "cooperation:recommendations": (LOGIN, 200, 200, 200, 200, 200, 200),
    "cooperation:status": (LOGIN, 405, 405, 405, 405, 405, 405),
    # Mein Bereich
    "accounts:account-delete": (LOGIN, 200, 200, 200, 200, 200, 200),
    "accounts:api-token-create": (LOGIN, 405, 405, 405, 405, 405, 405),
    "accounts:api-token-revoke": (LOGIN, 405, 405, 405, 405, 405, 405),
    "accounts:consent-withdraw": (LOGIN, 405, 405, 405, 405, 405, 405),
    "accounts:dashboard": (LOGIN, 200, 200, 200, 200, 200, 200),
    "accounts:data": (LOGIN, 200, 200, 200, 200, 200, 200),
    "accounts:data-export": (LOGIN, 200, 200, 200, 200, 200, 200),
    "accounts:notification-open": (LOGIN, 404, MOVED, 404, 404, 404, 404),
    "accounts:notification-settings": (LOGIN, 200, 200, 200, 200, 200, 200),
    "accounts:notifications": (LOGIN, 200, 200, 200, 200, 200, 200),
    "accounts:profile": (LOGIN, 200, 200, 200, 200, 200, 200),
    # Sign-in, sign-up, passwords, two-factor (allauth)
    "account_change_password": (LOGIN, 200, 200, 200, 200, 200, 200),
    "account_confirm_email": (200, 200, 200, 200, 200, 200, 200),
    "account_confirm_login_code": (MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    "account_email": (LOGIN, 200, 200, 200, 200, 200, 200),
    "account_email_verification_sent": (200, 200, 200, 200, 200, 200, 200),
    "account_inactive": (200, 200, 200, 200, 200, 200, 200),
    "account_login": (200, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    "account_logout": (MOVED, 200, 200, 200, 200, 200, 200),
    "account_reauthenticate": (LOGIN, 200, 200, 200, 200, 200, 200),
    "account_reset_password": (200, 200, 200, 200, 200, 200, 200),
    "account_reset_password_done": (200, 200, 200, 200, 200, 200, 200),
    "account_reset_password_from_key": (200, 200, 200, 200, 200, 200, 200),
    "account_reset_password_from_key_done": (200, 200, 200, 200, 200, 200, 200),
    "account_set_password": (LOGIN, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    "account_signup": (200, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    "mfa_activate_totp": (LOGIN, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    "mfa_authenticate": (MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    "mfa_deactivate_totp": (LOGIN, 404, 404, 404, 404, 404, 404),
    "mfa_download_recovery_codes": (LOGIN, 404, 404, 404, 404, 404, 404),
    "mfa_generate_recovery_codes": (LOGIN, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    "mfa_index": (LOGIN, 200, 200, 200, 200, 200, 200),
    "mfa_reauthenticate": (LOGIN, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
    "mfa_view_recovery_codes": (LOGIN, 404, 404, 404, 404, 404, 404),
    # Language switch
    "set_language": (MOVED, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED),
}


# Pages that show a guest's own registration through the secret link in their e-mail: the
# only pages besides the hosts' and the team's where the guest's name and address may appear.
OWN_DATA_PAGES = {"events:registration", "events:registration-confirm"}
SEES_PARTICIPANTS = {"host", "team"}


def matrix_keys() -> list[str]:
    return sorted(url_names() | set(MATRIX))


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_every_url_is_classified():
    """A new URL needs a row; a row whose URL is gone must go."""
    classified = {key.partition("@")[0] for key in MATRIX}
    assert url_names() - classified == set(), "URLs without a row in MATRIX"
    assert classified - url_names() == set(), "rows in MATRIX for URLs that no longer exist"


def test_every_role_has_a_column():
    assert {len(expected) for expected in MATRIX.values()} == {len(ROLES)}


@pytest.mark.parametrize("key", matrix_keys())
def test_permission_matrix(world, key):
    """GET as every role: the expected status, never a server error, redirects only to this
    platform, a guest's personal data only where SPEC §2 allows it, and no HTML that the
    strict CSP would block."""
    url = url_for(key, world)
    guest = world["guest"]
    seen = {}
    for role in ROLES:
        response = client_as(role, world).get(url)
        assert response.status_code < 500, f"{role}: {url} → {response.status_code}"
        if response.status_code == 302:
            location = response["Location"]
            assert location.startswith("/") and not location.startswith("//"), location
        body = _body(response)
        if role not in SEES_PARTICIPANTS and key.partition("@")[0] not in OWN_DATA_PAGES:
            assert guest.email not in body, f"{role} sees a participant's address on {url}"
        if response.get("Content-Type", "").startswith("text/html"):
            assert inline_code(body) == [], f"{role}: {url} needs 'unsafe-inline'"
        seen[role] = observed(response)
    got = tuple(seen[role] for role in ROLES)
    assert key in MATRIX, f"{key} ({url}) is not classified; seen: {got!r}"
    assert got == MATRIX[key], f"{key} ({url}): expected {MATRIX[key]!r}, got {got!r}"


@pytest.mark.parametrize("key", matrix_keys())
def test_an_empty_post_never_causes_a_server_error(world, key):
    """Forms and actions get a POST without any fields (as a broken client would send it):
    an answer with an explanation, a refusal or a redirect – never a 500."""
    url = url_for(key, world)
    for role in ROLES:
        response = client_as(role, world).post(url, {})
        assert response.status_code < 500, f"{role}: POST {url} → {response.status_code}"


def test_admin_entrance(world):
    """The admin site: non-staff are sent to sign in, superusers get in. (Its pages inside
    are Django's own, guarded by its permission system, and not part of the matrix.)"""
    admin_url = reverse("admin:index")
    for role in ("anonymous", "other", "member", "admin", "host"):
        response = client_as(role, world).get(admin_url)
        assert response.status_code == 302, role
        assert (
            reverse("admin:login") in response["Location"]
            or reverse("account_login") in response["Location"]
        ), role
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    assert client.get(admin_url).status_code == 200
