import socket
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.db import transaction

from initiativek.core.constants import MailStatus
from initiativek.core.models import OutgoingMail
from initiativek.core.services import mail_queue, mail_send


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.mark.django_db(transaction=True)
def test_queued_mail_is_sent_after_commit(outbox):
    with transaction.atomic():
        stored = mail_queue(to=["a@example.org"], subject="Hallo", body_text="Grüße aus Ravensburg")
        assert outbox == []  # nothing leaves before the transaction commits
    stored.refresh_from_db()
    assert stored.status == MailStatus.SENT
    assert outbox[0].subject == "Hallo"
    assert outbox[0].body == "Grüße aus Ravensburg"


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing(outbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_queue(to=["a@example.org"], subject="Hallo", body_text="x")
        raise RuntimeError
    assert outbox == []
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_failing_mail_server_keeps_the_mail_for_another_attempt(settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.FailingBackend"
    stored = OutgoingMail.objects.create(to=["a@example.org"], subject="S", body_text="B")
    result = mail_send(mail_id=stored.pk)
    assert result.status == MailStatus.QUEUED
    assert result.attempts == 1
    assert "mail server down" in result.last_error


@pytest.mark.django_db
def test_mail_gives_up_after_max_attempts(settings):
    settings.EMAIL_BACKEND = "tests.core.test_mail.FailingBackend"
    settings.MAIL_MAX_ATTEMPTS = 2
    stored = OutgoingMail.objects.create(to=["a@example.org"], subject="S", body_text="B")
    mail_send(mail_id=stored.pk)
    assert mail_send(mail_id=stored.pk).status == MailStatus.FAILED


@pytest.mark.django_db
def test_sent_mail_is_not_sent_twice(outbox):
    stored = OutgoingMail.objects.create(to=["a@example.org"], subject="S", body_text="B")
    mail_send(mail_id=stored.pk)
    mail_send(mail_id=stored.pk)
    assert len(outbox) == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_mail_is_delivered_over_real_smtp(settings):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = _free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        stored = OutgoingMail.objects.create(
            to=["cdo@example.org"], subject="Einladung Ä", body_text="Grüße"
        )
        assert mail_send(mail_id=stored.pk).status == MailStatus.SENT
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    assert len(received) == 1
    message = message_from_bytes(received[0].as_bytes())
    assert message["To"] == "cdo@example.org"
    assert "Einladung" in str(make_header(decode_header(message["Subject"])))
    assert message.get_payload(decode=True).decode("utf-8").strip() == "Grüße"


@pytest.mark.django_db
def test_sensitive_mail_text_is_deleted_after_sending(outbox):
    stored = OutgoingMail.objects.create(
        to=["a@example.org"], subject="Passwort", body_text="https://reset/geheim", sensitive=True
    )
    sent = mail_send(mail_id=stored.pk)
    assert outbox[0].body == "https://reset/geheim"
    assert (sent.status, sent.body_text) == (MailStatus.SENT, "")
    sent.refresh_from_db()
    assert sent.body_text == ""


@pytest.mark.django_db
def test_interrupted_sending_is_requeued_later():
    from datetime import timedelta

    from django.utils import timezone

    from initiativek.core.services import mail_requeue_stale

    stuck = OutgoingMail.objects.create(
        to=["a@example.org"],
        subject="S",
        body_text="B",
        status=MailStatus.SENDING,
        claimed_at=timezone.now() - timedelta(hours=1),
    )
    fresh = OutgoingMail.objects.create(
        to=["b@example.org"],
        subject="S",
        body_text="B",
        status=MailStatus.SENDING,
        claimed_at=timezone.now(),
    )
    assert mail_requeue_stale() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.status, fresh.status) == (MailStatus.QUEUED, MailStatus.SENDING)


SMTP_STARTED, SMTP_RELEASE = threading.Event(), threading.Event()


class SlowBackend:
    """A mail server that hangs until the test releases it."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        SMTP_STARTED.set()
        SMTP_RELEASE.wait(10)
        return len(messages)


@pytest.mark.django_db(transaction=True)
def test_slow_mail_server_does_not_block_other_writes(settings):
    """Sending happens outside any transaction: while the SMTP call hangs, another connection
    can still write (on SQLite a write lock held during sending would block it)."""
    from django.db import connection

    from initiativek.core.models import AuditEntry

    SMTP_STARTED.clear()
    SMTP_RELEASE.clear()
    settings.EMAIL_BACKEND = "tests.core.test_mail.SlowBackend"
    stored = OutgoingMail.objects.create(to=["a@example.org"], subject="S", body_text="B")

    def send():
        try:
            mail_send(mail_id=stored.pk)
        finally:
            connection.close()

    sender = threading.Thread(target=send)
    sender.start()
    assert SMTP_STARTED.wait(10)
    try:
        with transaction.atomic():
            AuditEntry.objects.create(action="test.write_while_sending")
        assert sender.is_alive()  # the write did not have to wait for the mail server
    finally:
        SMTP_RELEASE.set()
        sender.join()
    stored.refresh_from_db()
    assert stored.status == MailStatus.SENT
