"""Side effects of registration changes: the person is told by e-mail."""


def registration_status_mail(registration, *, offer_expired: bool = False, moved_up=False) -> None:
    from .mails import registration_mail_queue

    registration_mail_queue(registration, offer_expired=offer_expired, moved_up=moved_up)


def _people(event, statuses):
    return event.registrations.filter(status__in=statuses)


def event_changed_mail(event, *, changed: list[str]) -> int:
    from .constants import RegistrationStatus
    from .mails import event_mail_queue

    people = _people(
        event,
        [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED],
    )
    for registration in people:
        event_mail_queue(registration, kind="changed", changed=changed)
    return len(people)


def event_cancelled_mail(event, *, reason: str) -> int:
    from .constants import RegistrationStatus
    from .mails import event_mail_queue

    # Unconfirmed addresses are not written to (they may not belong to whoever registered).
    people = _people(
        event,
        [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED],
    )
    for registration in people:
        event_mail_queue(registration, kind="event_cancelled", reason=reason)
    return len(people)


def event_reminder_mail(event) -> int:
    from .constants import RegistrationStatus
    from .mails import event_mail_queue

    people = _people(event, [RegistrationStatus.CONFIRMED])
    for registration in people:
        event_mail_queue(registration, kind="reminder")
    return len(people)
