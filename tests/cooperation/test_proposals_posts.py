"""The discussion thread: who writes, who is told, what the mail carries, floods."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string

from initiativek.cooperation import services
from initiativek.cooperation.constants import ProposalStatus
from initiativek.cooperation.models import CooperationPost
from initiativek.core.constants import NotificationKind
from initiativek.core.models import Notification, NotificationPreference
from tests.accounts.factories import UserFactory
from tests.cooperation.factories import PostFactory, ProposalFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _world():
    ravensburg = OrganizationFactory(name="Ravensburg", slug="ravensburg")
    konstanz = OrganizationFactory(name="Konstanz", slug="konstanz")
    outsider_org = OrganizationFactory(name="Herrenberg", slug="herrenberg")
    return SimpleNamespace(
        ravensburg=ravensburg,
        konstanz=konstanz,
        proposal=ProposalFactory(
            initiator=ravensburg, members=[konstanz], title="Gemeinsame eAkte"
        ),
        author=MembershipFactory(organization=ravensburg).user,
        colleague=MembershipFactory(organization=ravensburg, editor=True).user,
        konstanz_people=[
            MembershipFactory(organization=konstanz, editor=True).user,
            MembershipFactory(organization=konstanz).user,
        ],
        stranger=MembershipFactory(organization=outsider_org, editor=True).user,
        team=UserFactory(is_staff=True),
    )


@pytest.fixture
def world(db):
    return _world()


def _post(world, text="Wann treffen wir uns?", **overrides):
    kwargs = {
        "actor": world.author,
        "proposal": world.proposal,
        "organization": world.ravensburg,
        "text": text,
    }
    kwargs.update(overrides)
    return services.post_create(**kwargs)


def test_any_person_of_a_member_organization_writes(world):
    post = _post(world, text="  **Hallo** zusammen  ")
    assert (post.author, post.organization, post.text) == (
        world.author,
        world.ravensburg,
        "**Hallo** zusammen",
    )


def test_a_post_notifies_the_member_organizations_and_the_authors_colleagues(world):
    post = _post(world)
    told = Notification.objects.filter(kind=NotificationKind.COOPERATION_POST)
    expected = {world.colleague.pk, *(p.pk for p in world.konstanz_people)}
    assert set(told.values_list("user", flat=True)) == expected
    assert world.author.pk not in expected  # never the author
    assert told.first().url.endswith(f"#beitrag-{post.pk}")


def test_the_post_mail_carries_the_text_as_plain_text(outbox):
    world = _world()
    _post(world, text="Wir schlagen **Dienstag** vor.\n\n<script>alert(1)</script>")
    recipients = sorted(address for mail in outbox for address in mail.to)
    assert recipients == sorted(p.email for p in [world.colleague, *world.konstanz_people])
    mail = outbox[0]
    assert "Neuer Beitrag von Ravensburg in „Gemeinsame eAkte“" in mail.subject
    assert "Wir schlagen **Dienstag** vor." in mail.body
    assert "<strong>" not in mail.body and "&lt;" not in mail.body
    assert not mail.alternatives


def test_an_email_opt_out_keeps_the_notification_but_not_the_mail(outbox):
    world = _world()
    quiet, loud = world.konstanz_people
    NotificationPreference.objects.create(
        user=quiet, kind=NotificationKind.COOPERATION_POST, email=False
    )
    _post(world)
    assert Notification.objects.filter(user=quiet, kind=NotificationKind.COOPERATION_POST).exists()
    assert sorted(mail.to[0] for mail in outbox) == sorted([loud.email, world.colleague.email])


def test_people_outside_the_cooperation_cannot_post(world):
    for actor in (world.stranger, world.team):
        with pytest.raises(PermissionDenied):
            _post(world, actor=actor)
    assert not CooperationPost.objects.exists()


def test_a_person_posts_only_for_their_own_member_organization(world):
    with pytest.raises(PermissionDenied, match="Sie gehören nicht zu Konstanz"):
        _post(world, organization=world.konstanz)
    with pytest.raises(PermissionDenied, match="nicht beteiligt"):
        _post(world, organization=OrganizationFactory(name="Herrenberg-Nord"))


def test_a_person_in_several_member_organizations_chooses(world):
    MembershipFactory(organization=world.konstanz, user=world.author)
    post = _post(world, organization=world.konstanz)
    assert post.organization == world.konstanz
    told = set(
        Notification.objects.filter(kind=NotificationKind.COOPERATION_POST).values_list(
            "user", flat=True
        )
    )
    # Everyone of both organizations – the author's colleagues too – but never the author.
    assert told == {world.colleague.pk, *(p.pk for p in world.konstanz_people)}


def test_empty_posts_and_closed_cooperations_are_refused(world):
    with pytest.raises(ValidationError, match="Bitte schreiben Sie"):
        _post(world, text="   ")
    world.proposal.status = ProposalStatus.CLOSED
    world.proposal.save()
    with pytest.raises(ValidationError, match="abgeschlossen"):
        _post(world)


def test_a_flood_of_posts_is_stopped(world):
    for number in range(services.POST_LIMIT):
        _post(world, text=f"Beitrag {number}")
    with pytest.raises(ValidationError, match="warten Sie einige Minuten"):
        _post(world, text="einer zu viel")
    assert CooperationPost.objects.count() == services.POST_LIMIT


def test_posts_are_rendered_sanitized(world):
    PostFactory(
        proposal=world.proposal,
        author=world.author,
        text="**fett** <script>alert(1)</script> [x](javascript:alert(1))",
    )
    html = render_to_string(
        "cooperation/_thread.html",
        {"can_read_thread": True, "posts": world.proposal.posts.all(), "proposal": world.proposal},
    )
    assert "<strong>fett</strong>" in html
    assert "<script>" not in html
    assert 'href="javascript' not in html
