import socket
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
