"""The platform keeps serving while the mail server is down (issue 8, item 5).

The mail server is an SMTP port on loopback that refuses every connection. Pages that send
mail still answer with their normal success page; the mail waits in the outbox
(``OutgoingMail``) and is delivered by the sending task once the server is back.

In the test settings tasks run immediately, so the first delivery attempt happens inside the
request – the harshest case. ``test_the_worker_retries_…`` runs the production setup (tasks in
the database, a worker process) instead.
"""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from initiativek.core.constants import MailStatus
from initiativek.core.models import OutgoingMail
from initiativek.core.tasks import mail_send_task
from initiativek.events.models import Registration
from initiativek.organizations.models import MembershipApplication
from tests.accounts.factories import PASSWORD, UserFactory
from tests.events.factories import EventFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db(transaction=True)  # mails leave after the commit


@pytest.fixture
def mail_server_down(settings, closed_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


def _mail_server_back(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


def _outbox_entry_for(address: str) -> OutgoingMail:
    (entry,) = [entry for entry in OutgoingMail.objects.all() if address in entry.to]
    return entry


def _guest_registers_for_an_event(client) -> str:
    event = EventFactory()
    response = client.post(
        reverse("events:register", kwargs={"slug": event.slug}),
        {
            "r-name": "Gabi Gast",
            "r-email": "gabi@example.org",
            "r-organization_name": "Stadtwerke Beispiel",
            "r-mode": "online",
            "r-privacy": "on",
        },
        follow=True,
    )
    assert response.redirect_chain == [(event.get_absolute_url(), 302)]
    assert "Bitte bestätigen Sie Ihre Anmeldung" in response.content.decode()
    assert Registration.objects.get().email == "gabi@example.org"
    return "gabi@example.org"


def _person_signs_up(client) -> str:
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Carla Beispiel",
            "function": "CDO",
            "email": "carla@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain[-1] == (reverse("account_email_verification_sent"), 302)
    assert get_user_model().objects.filter(email="carla@example.org").exists()
    return "carla@example.org"


def _person_resets_the_password(client) -> str:
    UserFactory(email="reset@example.org")
    response = client.post(
        reverse("account_reset_password"), {"email": "reset@example.org"}, follow=True
    )
    assert response.redirect_chain[-1] == (reverse("account_reset_password_done"), 302)
    return "reset@example.org"


def _person_applies_for_membership(client) -> str:
    applicant = UserFactory()
    client.force_login(applicant)
    town = OrganizationFactory(name="Tübingen", is_member=False)
    response = client.post(
        reverse("organizations:apply", kwargs={"slug": town.slug}),
        {"applicant_function": "CDO", "message": "Wir wollen mitmachen."},
        follow=True,
    )
    assert response.redirect_chain[-1] == (reverse("accounts:dashboard"), 302)
    assert "Ihr Antrag ist eingegangen" in response.content.decode()
    assert MembershipApplication.objects.get().applicant == applicant
    return django_settings.TEAM_EMAIL  # the team is told


JOURNEYS = [
    _guest_registers_for_an_event,
    _person_signs_up,
    _person_resets_the_password,
    _person_applies_for_membership,
]


@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda journey: journey.__name__.strip("_"))
def test_page_succeeds_and_its_mail_waits_until_the_mail_server_is_back(
    client, settings, mail_server_down, caplog, journey
):
    with caplog.at_level(logging.WARNING, logger="initiativek.core.services"):
        recipient = journey(client)  # asserts the normal success page

    waiting = _outbox_entry_for(recipient)
    assert (waiting.status, waiting.attempts) == (MailStatus.QUEUED, 1)
    assert "refused" in waiting.last_error.lower()
    assert any(
        record.name == "initiativek.core.services"
        and record.levelno >= logging.WARNING
        and f"Mail {waiting.pk} attempt 1 failed" in record.getMessage()
        for record in caplog.records
    )

    _mail_server_back(settings)
    mail_send_task.enqueue(mail_id=waiting.pk)

    waiting.refresh_from_db()
    assert waiting.status == MailStatus.SENT
    assert [message.to for message in mail.outbox] == [[recipient]]


def test_queued_mails_are_sent_by_the_command_once_the_mail_server_is_back(
    client, settings, mail_server_down
):
    _guest_registers_for_an_event(client)
    _person_resets_the_password(client)
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.QUEUED}

    _mail_server_back(settings)
    call_command("send_queued_mail", stdout=StringIO())

    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "gabi@example.org",
        "reset@example.org",
    ]


def _run_worker() -> None:
    """What ``manage.py db_worker --batch`` does: run every task that is due, then stop."""
    Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="resilience-test",
    ).run()


def test_the_worker_retries_with_back_off_and_delivers_once_the_mail_server_is_back(
    client, settings, mail_server_down
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    recipient = _guest_registers_for_an_event(client)
    waiting = _outbox_entry_for(recipient)
    assert waiting.attempts == 0  # the request only stored the mail and its task

    _run_worker()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (MailStatus.QUEUED, 1)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after > timezone.now() + timedelta(seconds=50)  # first back-off: 1 min

    _mail_server_back(settings)
    _run_worker()  # the retry isn't due yet
    assert mail.outbox == []

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    _run_worker()
    waiting.refresh_from_db()
    assert waiting.status == MailStatus.SENT
    assert [message.to for message in mail.outbox] == [[recipient]]
