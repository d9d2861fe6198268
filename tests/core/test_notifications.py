import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from initiativek.core.constants import NotificationKind
from initiativek.core.models import Notification, NotificationPreference
from initiativek.core.notifications import (
    is_local_path,
    notification_mark_all_read,
    notification_mark_read,
    notification_unread_count,
    notify,
)
from tests.accounts.factories import UserFactory
from tests.conftest import client_for

# An existing mail template; dicts stand in for the objects it names.
MAIL = "mail/project_interest_reply"
MAIL_CONTEXT = {
    "project": {"title": "Smart Parking"},
    "reply": {"organization": {"name": "Ravensburg"}, "text": "Gern!"},
}


def _notify(users, **kwargs):
    options = {
        "kind": NotificationKind.PROJECT_INTEREST,
        "text": "Ravensburg interessiert sich für „Smart Parking“.",
        "url": "/projekte/smart-parking/interesse/",
        "mail_template": MAIL,
        "mail_context": MAIL_CONTEXT,
    }
    return notify(users=users, **{**options, **kwargs})


def test_notify_reaches_everyone_in_the_platform_but_mails_only_who_wants_it(outbox):
    wants = UserFactory()
    opted_out = UserFactory()
    NotificationPreference.objects.create(
        user=opted_out, kind=NotificationKind.PROJECT_INTEREST, email=False
    )
    inactive = UserFactory(is_active=False)
    without_address = UserFactory(email="")
    assert _notify([wants, opted_out, inactive, without_address]) == 4
    assert Notification.objects.count() == 4
    assert [message.to for message in outbox] == [[wants.email]]


def test_an_opt_out_for_another_kind_does_not_stop_the_mail(outbox):
    person = UserFactory()
    NotificationPreference.objects.create(
        user=person, kind=NotificationKind.COOPERATION_POST, email=False
    )
    _notify([person])
    assert [message.to for message in outbox] == [[person.email]]


def test_each_person_is_notified_and_mailed_once_even_if_named_twice(outbox):
    person, other = UserFactory(), UserFactory()
    assert _notify([person, other, person, None]) == 2
    assert Notification.objects.filter(user=person).count() == 1
    assert sorted(message.to[0] for message in outbox) == sorted([person.email, other.email])
    assert all(len(message.to) == 1 for message in outbox)


def test_the_mail_link_is_absolute(outbox, settings):
    settings.SITE_URL = "https://initiative-k.example"
    person = UserFactory()
    context = {"project": {"title": "eAkte"}, "interest": {"organization": {"name": "Konstanz"}}}
    notify(
        users=[person],
        kind=NotificationKind.PROJECT_INTEREST,
        text="Konstanz interessiert sich für „eAkte“.",
        url="/projekte/eakte/interesse/",
        mail_template="mail/project_interest",
        mail_context=context,
    )
    assert "https://initiative-k.example/projekte/eakte/interesse/" in outbox[0].body


def test_long_text_is_shortened_for_the_notification(db):
    person = UserFactory()
    notify(users=[person], kind=NotificationKind.GENERAL, text="Wort " * 100)
    text = Notification.objects.get().text
    assert len(text) == 300
    assert text.endswith("…")


def test_an_external_link_is_not_stored(db):
    person = UserFactory()
    notify(users=[person], kind=NotificationKind.GENERAL, text="Hallo", url="https://evil.example")
    assert Notification.objects.get().url == ""


def test_an_unknown_kind_is_a_programming_error(db):
    with pytest.raises(ValueError):
        notify(users=[UserFactory()], kind="quatsch", text="Hallo")


def test_mails_leave_only_after_the_transaction_commits(outbox):
    person = UserFactory()
    with transaction.atomic():
        _notify([person])
        assert outbox == []
    assert len(outbox) == 1


def test_a_rolled_back_action_notifies_nobody(outbox):
    person = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify([person])
        raise RuntimeError
    assert outbox == []
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("/projekte/smart-parking/", True),
        ("/kooperation/?thema=3", True),
        ("//evil.example/", False),
        ("/\\evil.example/", False),
        ("/\t/evil.example/", False),
        ("https://evil.example/", False),
        ("javascript:alert(1)", False),
        ("projekte/", False),
        ("", False),
    ],
)
def test_only_paths_on_the_platform_count_as_local(url, local):
    assert is_local_path(url) is local


def test_marking_one_read_needs_the_owner(db):
    owner, other = UserFactory(), UserFactory()
    notify(users=[owner], kind=NotificationKind.GENERAL, text="Hallo")
    notification = Notification.objects.get()
    assert notification_mark_read(user=other, notification_id=notification.pk) is None
    assert notification_unread_count(user=owner) == 1
    assert notification_mark_read(user=owner, notification_id=notification.pk) == notification
    assert notification_unread_count(user=owner) == 0


def test_mark_all_read_touches_only_the_persons_own(db):
    owner, other = UserFactory(), UserFactory()
    notify(users=[owner, other], kind=NotificationKind.GENERAL, text="Hallo")
    notify(users=[owner], kind=NotificationKind.GENERAL, text="Noch einmal")
    assert notification_mark_all_read(user=owner) == 2
    assert notification_unread_count(user=owner) == 0
    assert notification_unread_count(user=other) == 1


def test_opening_a_notification_marks_it_read_and_follows_its_link(user):
    notify(users=[user], kind=NotificationKind.GENERAL, text="Hallo", url="/projekte/")
    notification = Notification.objects.get()
    response = client_for(user).get(reverse("accounts:notification-open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/projekte/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("url", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_opening_a_notification_never_leaves_the_platform(user, url):
    # stored directly: notify() would already refuse to keep such a link
    notification = Notification.objects.create(user=user, text="Hallo", url=url)
    response = client_for(user).get(reverse("accounts:notification-open", args=[notification.pk]))
    assert response["Location"] == reverse("accounts:notifications")


def test_someone_elses_notification_is_not_found(user):
    other = UserFactory()
    notification = Notification.objects.create(user=other, text="Geheim", url="/projekte/")
    client = client_for(user)
    assert (
        client.get(reverse("accounts:notification-open", args=[notification.pk])).status_code == 404
    )
    assert client.get("/mein-bereich/benachrichtigungen/99999999999999999999999/").status_code == (
        404
    )
    notification.refresh_from_db()
    assert notification.read_at is None
    assert "Geheim" not in client.get(reverse("accounts:notifications")).content.decode()


def test_the_list_marks_unread_ones_and_can_show_only_those(user):
    Notification.objects.create(user=user, text="Schon gelesen")
    notify(users=[user], kind=NotificationKind.GENERAL, text="Ganz neu")
    Notification.objects.filter(text="Schon gelesen").update(read_at=timezone.now())
    client = client_for(user)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "Schon gelesen" in page and "Ganz neu" in page
    assert page.count(">neu<") == 1
    assert page.index("Ganz neu") < page.index("Schon gelesen")  # newest first
    unread = client.get(reverse("accounts:notifications"), {"ungelesen": "1"}).content.decode()
    assert "Ganz neu" in unread and "Schon gelesen" not in unread


def test_the_list_shows_fifty_a_page(user):
    Notification.objects.bulk_create(
        Notification(user=user, text=f"Hinweis {number}") for number in range(51)
    )
    client = client_for(user)
    response = client.get(reverse("accounts:notifications"))
    assert len(response.context["notifications"]) == 50
    second = client.get(reverse("accounts:notifications"), {"seite": "2"})
    assert len(second.context["notifications"]) == 1


def test_mark_all_read_by_post(user):
    notify(users=[user], kind=NotificationKind.GENERAL, text="Hallo")
    client = client_for(user)
    response = client.post(reverse("accounts:notifications"))
    assert response.status_code == 302
    assert notification_unread_count(user=user) == 0


def test_the_header_tells_how_many_are_unread(user):
    notify(users=[user], kind=NotificationKind.GENERAL, text="Eins")
    notify(users=[user], kind=NotificationKind.GENERAL, text="Zwei")
    page = client_for(user).get(reverse("accounts:profile")).content.decode()
    assert '<span class="visually-hidden">(</span>2 neu<span class="visually-hidden">)</span>' in (
        page
    )
    notification_mark_all_read(user=user)
    page = client_for(user).get(reverse("accounts:profile")).content.decode()
    assert "2 neu" not in page


def test_the_notification_centre_needs_a_login(client):
    for url in [reverse("accounts:notifications"), reverse("accounts:notification-open", args=[1])]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
